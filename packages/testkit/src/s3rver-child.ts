// s3rver in a process of its own (startS3rverProcess): prints its endpoints as one JSON line,
// serves until SIGTERM, then removes its directory.
import { startS3rver } from "./s3rver.ts";

const s3 = await startS3rver(process.argv[2]);
process.stdout.write(`${JSON.stringify({ ...s3, stop: undefined })}\n`);
process.once("SIGTERM", () => void s3.stop().then(() => process.exit(0)));
