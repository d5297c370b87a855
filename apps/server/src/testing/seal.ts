// Seals a secret as a panel with this data directory does (its master key): for tests that
// write rows holding sealed secrets into a running panel's database (the console's e2e).
import { loadMasterKey } from "../crypto/master-key.ts";
import { createSecrets } from "../crypto/secrets.ts";

export const sealFor = (dataDir: string, plain: string) =>
  createSecrets(loadMasterKey(dataDir)).seal(plain);
