import * as fs from 'fs';
import * as path from 'path';

/**
 * Replaces one section of bench/README.md (between `<!-- <name>:start -->` and
 * `<!-- <name>:end -->`), keeping the rest, so each benchmark owns its own table.
 */
export function writeReadmeSection(name: string, table: string): void {
  const file = path.join(__dirname, 'README.md');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const section = `${start}\n${table}\n${end}`;
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  const next = i >= 0 && j > i ? text.slice(0, i) + section + text.slice(j + end.length) : `${text}${text ? '\n' : ''}${section}\n`;
  fs.writeFileSync(file, next);
  process.stderr.write(`updated ${path.relative(process.cwd(), file)}\n`);
}
