import {
  findDuplicatesInList,
  parseCsv,
  readShippingList,
  type ShippingListCandidate,
} from './shipping-list';

describe('parseCsv', () => {
  const records: Array<[string, string, Array<[number, string[]]>]> = [
    [
      'simple LF',
      'a,b\nc,d\n',
      [
        [1, ['a', 'b']],
        [2, ['c', 'd']],
      ],
    ],
    [
      'CRLF',
      'a,b\r\nc,d\r\n',
      [
        [1, ['a', 'b']],
        [2, ['c', 'd']],
      ],
    ],
    [
      'lone CR (old Mac exports)',
      'a,b\rc,d',
      [
        [1, ['a', 'b']],
        [2, ['c', 'd']],
      ],
    ],
    [
      'no final line break',
      'a,b\nc,d',
      [
        [1, ['a', 'b']],
        [2, ['c', 'd']],
      ],
    ],
    [
      'BOM is dropped',
      '\uFEFFserial,model\r\nX,Y\r\n',
      [
        [1, ['serial', 'model']],
        [2, ['X', 'Y']],
      ],
    ],
    ['blank trailing lines', 'a,b\n\n\r\n\n', [[1, ['a', 'b']]]],
    [
      'blank line in the middle keeps line numbers',
      'a\n\nb\n',
      [
        [1, ['a']],
        [3, ['b']],
      ],
    ],
    ['empty fields', ',a,,\n', [[1, ['', 'a', '', '']]]],
    ['quoted comma', '"a,b",c\n', [[1, ['a,b', 'c']]]],
    ['escaped quote', '"say ""hi""",x\n', [[1, ['say "hi"', 'x']]]],
    ['quoted empty field', '"",x\n', [[1, ['', 'x']]]],
    ['only an escaped quote', '""""\n', [[1, ['"']]]],
    [
      'quoted CRLF inside a field; next record on line 3',
      '"a\r\nb",c\r\nd,e\r\n',
      [
        [1, ['a\r\nb', 'c']],
        [3, ['d', 'e']],
      ],
    ],
    ['spaces are data', ' a , b \n', [[1, [' a ', ' b ']]]],
    ['non-ASCII', '株式会社,ﾃｽﾄ\n', [[1, ['株式会社', 'ﾃｽﾄ']]]],
    ['nothing at all', '', []],
    ['only a BOM', '\uFEFF', []],
  ];

  it.each(records)('%s', (_name, input, expected) => {
    const parsed = parseCsv(input);
    expect(parsed).toEqual({
      ok: true,
      records: expected.map(([line, fields]) => ({ line, fields })),
    });
  });

  const malformed: Array<[string, string, number, number, RegExp]> = [
    ['unterminated quote', 'a,b\nc,"d\n', 2, 3, /never closed/],
    ['unterminated quote over several lines', 'a\n"x\ny\nz', 2, 1, /never closed/],
    ['text after the closing quote', '"a"b,c\n', 1, 4, /must end at a comma/],
    ['quote inside an unquoted field', 'ab"c,d\n', 1, 3, /quote inside an unquoted field/],
    ['quote after spaces', 'a, "b"\n', 1, 4, /quote inside an unquoted field/],
  ];

  it.each(malformed)('refuses %s with its position', (_name, input, line, column, problem) => {
    const parsed = parseCsv(input);
    expect(parsed).toMatchObject({ ok: false, line, column });
    expect(parsed.ok ? '' : parsed.problem).toMatch(problem);
  });
});

const HEADER = 'serial,model,mac,firmware,host,port,username,password';

function candidate(overrides: Partial<ShippingListCandidate> = {}): ShippingListCandidate {
  return {
    serial: 'FGT60F0001',
    vendor: 'fortinet',
    model: 'FortiGate-60F',
    mac: '00:09:0F:00:00:01',
    firmware: 'v7.2.5',
    management: { host: '192.0.2.1', port: 22, username: 'admin', password: 'pw' },
    ...overrides,
  };
}

describe('readShippingList', () => {
  it('maps columns by name in any order and case, with the vendor from the options', () => {
    const text =
      'PASSWORD,Username, Port ,host,Firmware,MAC,Model,Serial\r\npw,admin,22,192.0.2.1,v7.2.5,00:09:0F:00:00:01,FortiGate-60F,FGT60F0001\r\n';
    expect(readShippingList(text, { vendor: 'fortinet' })).toEqual({
      ok: true,
      rows: [{ line: 2, serial: 'FGT60F0001', candidate: candidate(), problems: [] }],
    });
  });

  const rows: Array<[string, string, Partial<ShippingListCandidate>]> = [
    [
      'empty optional cells are left out',
      'FGT60F0001,FortiGate-60F,,,192.0.2.1,22,admin,pw',
      { mac: undefined, firmware: undefined },
    ],
    [
      'a non-numeric port stays text for validation to refuse',
      'FGT60F0001,FortiGate-60F,,,192.0.2.1,ssh,admin,pw',
      {
        mac: undefined,
        firmware: undefined,
        management: { host: '192.0.2.1', port: 'ssh', username: 'admin', password: 'pw' },
      },
    ],
    [
      'a password with a comma and a quote',
      'FGT60F0001,FortiGate-60F,,,192.0.2.1,22,admin,"p,""w"',
      {
        mac: undefined,
        firmware: undefined,
        management: { host: '192.0.2.1', port: 22, username: 'admin', password: 'p,"w' },
      },
    ],
  ];

  it.each(rows)('%s', (_name, row, overrides) => {
    const reading = readShippingList(`${HEADER}\n${row}\n`, { vendor: 'fortinet' });
    const expected = { ...candidate(), ...overrides };
    if (!expected.mac) delete expected.mac;
    if (!expected.firmware) delete expected.firmware;
    expect(reading).toEqual({
      ok: true,
      rows: [expect.objectContaining({ candidate: expected, problems: [] })],
    });
  });

  it('a vendor column wins over the option; an empty vendor cell falls back to it', () => {
    const reading = readShippingList(`vendor,${HEADER}\nacme,A1,m,,,h,22,u,p\n,A2,m,,,h,22,u,p\n`, {
      vendor: 'fortinet',
    });
    expect(reading.ok && reading.rows.map((row) => row.candidate?.vendor)).toEqual([
      'acme',
      'fortinet',
    ]);
  });

  it('a misaligned row is an error without its serial (the cell could hold anything)', () => {
    const reading = readShippingList(`${HEADER}\nFGT1,m,,,h,22,u\nFGT2,m,,,h,22,u,p,extra\n`, {
      vendor: 'fortinet',
    });
    expect(reading).toEqual({
      ok: true,
      rows: [
        {
          line: 2,
          serial: null,
          candidate: null,
          problems: ['the row has 7 fields; the header has 8'],
        },
        {
          line: 3,
          serial: null,
          candidate: null,
          problems: ['the row has 9 fields; the header has 8'],
        },
      ],
    });
  });

  it('skips rows that are only separators, keeping the line numbers of the others', () => {
    const reading = readShippingList(`${HEADER}\n,,,,,,,\nFGT1,m,,,h,22,u,p\n\n`, {
      vendor: 'fortinet',
    });
    expect(reading.ok && reading.rows.map((row) => [row.line, row.serial])).toEqual([[3, 'FGT1']]);
  });

  const refused: Array<[string, string, { vendor?: string; maxRows?: number }, RegExp]> = [
    ['an empty body', '', { vendor: 'fortinet' }, /empty; its first line must be the header/],
    ['a header only', `${HEADER}\r\n\r\n`, { vendor: 'fortinet' }, /no data rows/],
    [
      'a missing required column',
      'serial,model,host,port,username\nX,Y,h,22,u\n',
      { vendor: 'fortinet' },
      /missing column: password/,
    ],
    [
      'no vendor column and no vendor option',
      `${HEADER}\nX,Y,,,h,22,u,p\n`,
      {},
      /missing column: vendor \(or pass \?vendor=\)/,
    ],
    [
      'an unknown column (named by position only)',
      `${HEADER},secret\nX,Y,,,h,22,u,p,s\n`,
      { vendor: 'fortinet' },
      /^column 9 of the header is not one of/,
    ],
    [
      'a repeated column',
      `${HEADER},serial\nX,Y,,,h,22,u,p,X\n`,
      { vendor: 'fortinet' },
      /column 9 repeats the serial column/,
    ],
    [
      'a malformed quote',
      `${HEADER}\nX,"Y,,,h,22,u,p\n`,
      { vendor: 'fortinet' },
      /line 2, column 3: a quoted field is never closed/,
    ],
    [
      'too many rows',
      `${HEADER}\nA,m,,,h,22,u,p\nB,m,,,h,22,u,p\nC,m,,,h,22,u,p\n`,
      { vendor: 'fortinet', maxRows: 2 },
      /has 3 rows; send at most 2/,
    ],
  ];

  it.each(refused)('refuses %s', (_name, text, options, problem) => {
    const reading = readShippingList(text, options);
    expect(reading.ok).toBe(false);
    expect(reading.ok ? [] : reading.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(problem)]),
    );
  });

  it('never quotes a header cell it does not know (a header-less file starts with data)', () => {
    const reading = readShippingList('FGT1,m,,,h,22,u,hunter2\n', { vendor: 'fortinet' });
    expect(reading.ok).toBe(false);
    expect(JSON.stringify(reading)).not.toContain('hunter2');
  });
});

describe('findDuplicatesInList', () => {
  it('reports every occurrence of a repeated serial or MAC, and nothing for unique or empty ones', () => {
    const problems = findDuplicatesInList([
      { line: 2, serial: 'A', mac: '00:00:00:00:00:01' },
      { line: 3, serial: 'B', mac: '00:00:00:00:00:01' },
      { line: 4, serial: 'A', mac: null },
      { line: 5, serial: 'C', mac: null },
      { line: 6, serial: 'A', mac: '' },
      { line: 7, serial: null, mac: null },
      { line: 8, serial: null, mac: null },
    ]);
    expect(Object.fromEntries(problems)).toEqual({
      2: ['serial A is also on lines 4, 6', 'mac 00:00:00:00:00:01 is also on line 3'],
      3: ['mac 00:00:00:00:00:01 is also on line 2'],
      4: ['serial A is also on lines 2, 6'],
      6: ['serial A is also on lines 2, 4'],
    });
  });
});
