import * as fs from 'node:fs';
import * as path from 'node:path';
import { messages } from '../apps/web/src/i18n/messages';

const SOURCES = path.resolve(__dirname, '../apps/web/src');

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Every key the console asks for by name: t('area.key') and navKey: 'area.key'. */
function keysUsed(): Map<string, string> {
  const used = new Map<string, string>();
  for (const file of sourceFiles(SOURCES)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\bt\(\s*'([a-zA-Z][\w.-]*)'|navKey: '([\w.-]+)'/g)) {
      used.set(match[1] ?? match[2], path.relative(SOURCES, file));
    }
  }
  return used;
}

describe("the console's messages", () => {
  it('has every message in Japanese and in English', () => {
    const onlyJa = Object.keys(messages.ja).filter((key) => !(key in messages.en));
    const onlyEn = Object.keys(messages.en).filter((key) => !(key in messages.ja));
    expect({ onlyJa, onlyEn }).toEqual({ onlyJa: [], onlyEn: [] });
    const empty = Object.entries({ ...messages.ja, ...messages.en }).filter(([, text]) => !text);
    expect(empty).toEqual([]);
  });

  it('has a message for every key the pages ask for by name', () => {
    const used = keysUsed();
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used]
      .filter(([key]) => !(key in messages.ja))
      .map(([key, file]) => `${file}: ${key}`);
    expect(missing).toEqual([]);
  });
});
