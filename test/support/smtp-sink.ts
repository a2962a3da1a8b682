import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message as the server received it, with its MIME parts decoded enough for assertions. */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** The whole message as sent (headers and MIME body). */
  raw: string;
  /** `Subject:`, decoded from RFC 2047 words. */
  subject: string;
  /** The text/plain part, decoded. */
  text: string;
  attachments: Array<{ filename: string; contentType: string; content: Buffer }>;
  /** The user it logged in as, when it did. */
  user: string | null;
}

export interface SmtpSink {
  /** `smtp://user:password@127.0.0.1:<port>` (credentials only when `auth` was given). */
  url: string;
  received: ReceivedMail[];
  /** The next `count` messages are refused at DATA with `code` (451: try later; 550: never). */
  refuseNext(code: number, count?: number): void;
  /** Resolves once `count` messages in all have been received. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/**
 * A real SMTP server (the `smtp-server` package) on loopback, in this process, that keeps what it
 * is sent. Plain SMTP without STARTTLS; with `auth`, it asks for and checks that login.
 */
export async function startSmtpSink(auth?: { user: string; password: string }): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const refusals: number[] = [];
  const server = new SMTPServer({
    disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(credentials, _session, callback) {
      if (auth && credentials.username === auth.user && credentials.password === auth.password) {
        callback(null, { user: credentials.username });
      } else callback(Object.assign(new Error('Authentication failed'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const refusal = refusals.shift();
        if (refusal !== undefined) {
          const text = refusal >= 500 ? 'Message refused' : 'Try again later';
          callback(Object.assign(new Error(text), { responseCode: refusal }));
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          raw,
          ...parseMessage(raw),
          user: typeof session.user === 'string' ? session.user : null,
        });
        callback(null);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const credentials = auth
    ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.password)}@`
    : '';
  return {
    url: `smtp://${credentials}127.0.0.1:${port}`,
    received,
    refuseNext(code, count = 1) {
      for (let i = 0; i < count; i += 1) refusals.push(code);
    },
    async waitFor(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`${received.length} of ${count} mails received in ${timeoutMs} ms`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Part {
  headers: Map<string, string>;
  body: string;
}

/** Enough MIME (RFC 2045/2046/2047) for what nodemailer writes: nested multiparts, base64, QP. */
function parseMessage(raw: string): Omit<ReceivedMail, 'from' | 'to' | 'raw' | 'user'> {
  const top = splitPart(raw);
  const leaves: Part[] = [];
  collectLeaves(top, leaves);
  const textPart = leaves.find(
    (part) =>
      (part.headers.get('content-type') ?? 'text/plain').startsWith('text/plain') &&
      !(part.headers.get('content-disposition') ?? '').startsWith('attachment'),
  );
  return {
    subject: decodeWords(top.headers.get('subject') ?? ''),
    text: textPart ? decodeBody(textPart).toString('utf8') : '',
    attachments: leaves
      .filter((part) => (part.headers.get('content-disposition') ?? '').startsWith('attachment'))
      .map((part) => ({
        filename: decodeWords(parameter(part.headers.get('content-disposition') ?? '', 'filename')),
        contentType: (part.headers.get('content-type') ?? '').split(';')[0].trim(),
        content: decodeBody(part),
      })),
  };
}

function splitPart(text: string): Part {
  const normalised = text.replace(/\r\n/g, '\n');
  const end = normalised.indexOf('\n\n');
  const head = end === -1 ? normalised : normalised.slice(0, end);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
  }
  return { headers, body: end === -1 ? '' : normalised.slice(end + 2) };
}

function collectLeaves(part: Part, leaves: Part[]): void {
  const type = part.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('multipart/')) {
    leaves.push(part);
    return;
  }
  const boundary = parameter(type, 'boundary');
  const sections = part.body.split(`--${boundary}`).slice(1);
  for (const section of sections) {
    if (section.startsWith('--')) break;
    collectLeaves(splitPart(section.replace(/^\n/, '')), leaves);
  }
}

/** A header parameter, plain or in RFC 2231 pieces (`filename*0*=utf-8''%E3…; filename*1*=…`). */
function parameter(header: string, name: string): string {
  const plain = new RegExp(`(?:^|;)\\s*${name}="?([^";]+)"?`, 'i').exec(header);
  if (plain) return plain[1];
  const pieces = [...header.matchAll(new RegExp(`${name}\\*(\\d+)(\\*?)="?([^";]*)"?`, 'gi'))]
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map((match) => (match[2] ? match[3].replace(/^[\w-]*'[\w-]*'/, '') : match[3]))
    .join('');
  return decodeURIComponent(pieces);
}

function decodeBody(part: Part): Buffer {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const body = part.body.replace(/\n$/, '');
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return Buffer.from(body, 'utf8');
}

function decodeQuotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  const joined = text.replace(/=\n/g, '');
  for (let i = 0; i < joined.length; i += 1) {
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(joined[i], 'utf8'));
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`), as nodemailer writes Japanese. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi, (_whole, _charset, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')).toString('utf8'),
    );
}
