// The recovery kit of a `panel` plan: its private key as a text file, with what to do with it.
import type { BackupPlan } from "@steward/contracts/backups";

export function recoveryKitText(plan: BackupPlan, privateKey: string) {
  return `Steward backup recovery kit
Plan: ${plan.name} (${plan.id}), account ${plan.accountId}
Taken: ${plan.recoveryKitTakenAt ?? new Date().toISOString()}
Public key (recipient): ${plan.recipients.join(", ")}

Keep this file offline and private (0600): it opens every artifact of this plan, without the
panel. Anyone holding it can read the backups.

Private key (X25519, PKCS#8 DER in base64):
${privateKey}

Use it:
  Save the key line alone in a file (one line, 0600), e.g. plan.key.
  Restore through a panel (identity never stored):
    steward backup artifact restore ARTIFACT_ID --identity plan.key [--database NAME | --path /dir]
  Download an artifact decrypted through a panel:
    steward backup artifact download ARTIFACT_ID --identity plan.key --out FILE
`;
}
