// The Akeeba Backup JSON API v2 half of the Joomla fake (joomla-fake.ts): the endpoint
// `index.php?option=com_akeebabackup&view=Api&format=raw&_akeebaAuth=SECRET`, a POST whose form
// body names the `method` and its parameters, answered `{status, data}` as Akeeba Backup does
// (503 for a wrong secret, 405 for an unknown method, 404 for a record that does not exist).
// A backup runs in `steps` steps (startBackup, then stepBackup until HasRun is 0) and leaves an
// archive of `archiveBytes` bytes, downloaded in segments of `chunk_size` bytes, base64.

export interface AkeebaProfile {
  id: number;
  name: string;
}

export interface AkeebaRecord {
  id: number;
  description: string;
  profile_id: number;
  status: "run" | "complete" | "fail";
  archivename: string;
  filesexist: boolean;
  total_size: number;
  backupstart: string;
  backupend: string | null;
  multipart: number;
}

export interface AkeebaState {
  secret: string;
  profiles: AkeebaProfile[];
  records: AkeebaRecord[];
  /** steps a backup takes after startBackup (default 2) */
  steps: number;
  archiveBytes: number;
}

type Answer = { status: number; body: unknown };
const api = (status: number, data: unknown): Answer => ({ status: 200, body: { status, data } });

/** One JSON API call; `form` is the request's form body (method and parameters). */
export function akeebaCall(
  state: AkeebaState,
  running: Map<string, number>,
  form: URLSearchParams,
): Answer {
  const method = form.get("method") ?? "";
  const int = (name: string) => {
    const v = form.get(name);
    return v !== null && /^\d{1,9}$/.test(v) ? Number(v) : null;
  };
  const record = (name: string) => state.records.find((r) => r.id === int(name));
  switch (method) {
    case "getProfiles":
      return api(200, state.profiles);
    case "listBackups": {
      const from = int("from") ?? 0;
      const limit = int("limit") ?? 50;
      return api(200, [...state.records].reverse().slice(from, from + limit));
    }
    case "startBackup": {
      const profile = int("profile") ?? 1;
      if (!state.profiles.some((p) => p.id === profile)) return api(404, "Invalid profile");
      const id = Math.max(0, ...state.records.map((r) => r.id)) + 1;
      const backupid = `id-${id}`;
      state.records.push({
        id,
        description: (form.get("description") ?? "Remote backup").slice(0, 255),
        profile_id: profile,
        status: "run",
        archivename: `site-backup-${id}.jpa`,
        filesexist: false,
        total_size: 0,
        backupstart: new Date().toISOString(),
        backupend: null,
        multipart: 0,
      });
      running.set(backupid, state.steps);
      return api(200, progress(backupid, id, state.steps > 0));
    }
    case "stepBackup": {
      const backupid = form.get("backupid") ?? "";
      const left = running.get(backupid);
      if (left === undefined) return api(404, "Invalid backup ID");
      const id = Number(backupid.slice(3));
      if (left <= 1) {
        running.delete(backupid);
        const r = state.records.find((x) => x.id === id);
        if (r)
          Object.assign(r, {
            status: "complete",
            filesexist: true,
            total_size: state.archiveBytes,
            backupend: new Date().toISOString(),
            multipart: 1,
          });
        return api(200, progress(backupid, id, false));
      }
      running.set(backupid, left - 1);
      return api(200, progress(backupid, id, true));
    }
    case "download": {
      const r = record("backup_id");
      if (!r?.filesexist) return api(404, "Invalid backup record identifier");
      if (int("part_id") !== 1) return api(404, "Invalid part");
      const chunk = int("chunk_size") ?? 1_048_576;
      const segment = int("segment") ?? 1;
      const start = (segment - 1) * chunk;
      if (segment < 1 || start >= r.total_size) return api(404, "Invalid segment");
      return api(
        200,
        archive(r)
          .subarray(start, start + chunk)
          .toString("base64"),
      );
    }
    case "deleteFiles": {
      const r = record("backup_id");
      if (!r) return api(404, "Invalid backup record identifier");
      r.filesexist = false;
      return api(200, true);
    }
    case "delete": {
      const r = record("backup_id");
      if (!r) return api(404, "Invalid backup record identifier");
      state.records = state.records.filter((x) => x !== r);
      return api(200, true);
    }
    default:
      return api(405, "Unknown method");
  }
}

const progress = (backupid: string, id: number, hasRun: boolean) => ({
  HasRun: hasRun ? 1 : 0,
  Domain: hasRun ? "PackDB" : "finale",
  Step: hasRun ? "Backing up database" : "",
  Substep: "",
  Error: "",
  Warnings: [],
  Progress: hasRun ? 50 : 100,
  backupid,
  backup_id: id,
});

/** The archive's bytes: the same for the same record, so a download can be checked. */
export const archive = (r: Pick<AkeebaRecord, "id" | "total_size">) =>
  Buffer.alloc(r.total_size, `JPA-${r.id}-`);
