/** Helpers for the workflow tests (docs/api.md#workflows): templates, definitions, triggers, runs, the outbox. */
import { api, freshId, userToken, waitFor } from "./helpers";

/** A step as `GET /v1/workflow-runs/{id}` shows it. */
export interface StepView {
  index: number;
  type: string;
  status: string;
  at: string | null;
  notificationId: string | null;
  reason: string | null;
}

/** A run as the API shows it. */
export interface RunView {
  id: string;
  userId: string;
  workflowKey: string;
  version: number;
  status: string;
  steps: StepView[];
  data: Record<string, unknown>;
  error: string | null;
}

/** Saves a fresh template for `channel`; returns its name. */
export async function template(channel: string, body: string, subject: string | null = "Subject"): Promise<string> {
  const name = `wf_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const res = await api(`/v1/templates/${name}`, { method: "PUT", json: { channel, body, ...(subject === null ? {} : { subject }) } });
  if (res.status !== 201 && res.status !== 200) throw new Error(`template: ${res.status} ${await res.text()}`);
  return name;
}

/** Saves a fresh workflow with `steps` (and optional fields); returns its key. */
export async function workflow(steps: unknown[], extra: Record<string, unknown> = {}): Promise<string> {
  const key = `wf-${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const res = await api(`/v1/workflows/${key}`, { method: "PUT", json: { steps, ...extra } });
  if (res.status !== 201) throw new Error(`workflow: ${res.status} ${await res.text()}`);
  return key;
}

/** A fresh user with a unique email address (so the outbox can be read per user). */
export async function userWithEmail(): Promise<{ userId: string; email: string }> {
  const userId = freshId("wfu");
  const email = `${userId}@example.com`;
  const res = await api(`/v1/users/${userId}`, { method: "PUT", json: { email } });
  if (res.status !== 200 && res.status !== 201) throw new Error(`user: ${res.status} ${await res.text()}`);
  return { userId, email };
}

/** Triggers `key`; returns the response. */
export function trigger(key: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  return api(`/v1/workflows/${key}/trigger`, { method: "POST", json: body, headers });
}

/** The user's runs, newest first (first page). */
export async function runsOf(userId: string): Promise<RunView[]> {
  const res = await api(`/v1/users/${userId}/workflow-runs?limit=200`);
  if (res.status !== 200) throw new Error(`runs: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { items: RunView[] }).items;
}

/** One run through the API. */
export async function getRun(runId: string): Promise<RunView> {
  const res = await api(`/v1/workflow-runs/${runId}`);
  if (res.status !== 200) throw new Error(`run: ${res.status} ${await res.text()}`);
  return (await res.json()) as RunView;
}

/** Waits until the user has exactly one run and `ready(run)` holds; returns it. */
export function waitForOnlyRun(userId: string, ready: (run: RunView) => boolean, timeoutMs = 15_000): Promise<RunView> {
  return waitFor(
    async () => {
      const runs = await runsOf(userId);
      if (runs.length > 1) throw new Error(`expected one run, found ${runs.length}`);
      return runs.length === 1 && ready(runs[0]!) ? runs[0] : undefined;
    },
    { timeoutMs, what: `the run of ${userId}` },
  );
}

/** Waits until `runId` satisfies `ready`. */
export function waitForRun(runId: string, ready: (run: RunView) => boolean, timeoutMs = 15_000): Promise<RunView> {
  return waitFor(async () => {
    const run = await getRun(runId);
    return ready(run) ? run : undefined;
  }, { timeoutMs, what: `run ${runId}` });
}

/** The emails in the dev outbox sent to `email`. */
export async function emailsTo(email: string): Promise<{ notificationId: string; subject: string | null; body: string }[]> {
  const res = (await (await api(`/v1/outbox?channel=email&limit=200`)).json()) as { items: { notificationId: string; recipient: string; subject: string | null; body: string }[] };
  return res.items.filter((i) => i.recipient === email);
}

/** The user's inbox items (newest first), read through the REST inbox with a user token. */
export async function inboxItems(userId: string): Promise<{ id: string; title: string | null; body: string | null }[]> {
  const res = await api(`/v1/me/notifications?limit=50`, { auth: await userToken(userId) });
  if (res.status !== 200) throw new Error(`inbox: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { items: { id: string; title: string | null; body: string | null }[] }).items;
}
