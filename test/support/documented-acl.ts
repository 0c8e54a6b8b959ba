import { readFile } from 'node:fs/promises';
import { expect } from 'chai';

/**
 * The `ACL SETUSER` line of docs/redis-setup.md between `<!-- <marker> -->` and its closing
 * marker, as the words after the user name, with `password` in place of `CHANGE-ME`.
 */
export async function documentedAclLine(
  password: string,
  marker = 'acl-setuser',
): Promise<string[]> {
  const doc = await readFile('docs/redis-setup.md', 'utf8');
  const section = new RegExp(
    `<!-- ${marker} -->\\s*\`\`\`\\s*\\n(ACL SETUSER [^\\n]+)\\n\`\`\``,
  ).exec(doc);
  if (!section?.[1]) {
    throw new Error(`docs/redis-setup.md has no ACL SETUSER line between its ${marker} markers`);
  }
  const words = section[1].split(/\s+/);
  expect(words).to.include('>CHANGE-ME');
  return words.slice(3).map((word) => (word === '>CHANGE-ME' ? `>${password}` : word));
}
