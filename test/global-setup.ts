/**
 * Runs in Node before the workerd test pool starts: a real local HTTP receiver for webhook
 * tests, its URL handed to the tests with `inject("receiverUrl")`.
 */
import type { TestProject } from "vitest/node";
import { startReceiver } from "./support/webhook-receiver";

declare module "vitest" {
  export interface ProvidedContext {
    receiverUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const receiver = await startReceiver();
  project.provide("receiverUrl", receiver.url);
  return receiver.stop;
}
