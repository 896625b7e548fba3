// The usage examples of wasm/README.md, so that tests run them as written.
import fs from 'node:fs';

// The first ```js block after the heading `## <heading>`; it must be the
// promised five lines.
export function readmeSnippet(readmePath, heading) {
  const text = fs.readFileSync(readmePath, 'utf8');
  const at = text.indexOf(`\n## ${heading}\n`);
  if (at < 0) throw new Error(`${readmePath} has no "## ${heading}" section`);
  const block = /```js\n([\s\S]*?)```/.exec(text.slice(at));
  if (!block) throw new Error(`${readmePath}: no js example under "## ${heading}"`);
  const lines = block[1].trimEnd().split('\n');
  if (lines.length !== 5) throw new Error(`${readmePath}: the ${heading} example has ${lines.length} lines, not 5`);
  return block[1];
}
