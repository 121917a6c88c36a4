// Child process for the crash test: saves keys under the same label in a loop until killed.
import { generateKey, openKeyStore } from '../dist/index.js';

const [dir, passphrase] = process.argv.slice(2);
const store = openKeyStore(dir);
process.send?.('ready');
for (;;) {
  await store.save('org-key', generateKey(), passphrase, {
    overwrite: true,
    kdf: { N: 2 ** 15, r: 8, p: 1 },
  });
}
