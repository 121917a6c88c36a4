// Child process for the overwrite race: waits for the go signal, then saves a fresh key under one
// label (no overwrite) and reports the outcome: the key's DID, or the error code.
import { generateKey, openKeyStore } from '../dist/index.js';

const [dir, passphrase] = process.argv.slice(2);
const store = openKeyStore(dir);
const key = generateKey();
process.send?.('ready');
process.once('message', async () => {
  try {
    await store.save('shared', key, passphrase, { kdf: { N: 2 ** 15, r: 8, p: 1 } });
    process.send?.({ ok: true, did: key.did });
  } catch (e) {
    process.send?.({ ok: false, code: e.code ?? String(e) });
  }
  process.disconnect();
});
