import { parentPort, workerData } from "node:worker_threads";
import { renderContext, renderPostFile, type RenderSettings } from "./post-file.ts";
import type { PostJob, WorkerReply } from "./post-workers.ts";

/* A worker thread that renders batches of posts (see post-workers.ts). */

const context = renderContext(workerData as RenderSettings);

parentPort!.on("message", (batch: PostJob[]) => {
  let reply: WorkerReply;
  try {
    reply = { results: batch.map((job) => renderPostFile(job.file, job.bytes, context)) };
  } catch (error) {
    // A fault in the renderer, not in a post: content mistakes are results.
    reply = { failure: `rendering ${batch.map((job) => job.file).join(", ")} failed: ${(error as Error).message}` };
  }
  parentPort!.postMessage(reply);
});
parentPort!.postMessage({ ready: true } satisfies WorkerReply);
