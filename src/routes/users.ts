/**
 * Users (docs/api.md#user-sync): versioned upsert, read, soft delete. Every real change emits a user event
 * (`user.created`, `user.updated`, `user.status_changed`, `user.deleted`) to the sync targets.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { createRouter } from "../http/router";
import { commonErrors, jsonRequest, problemResponse } from "../http/schemas";
import { ApiError } from "../lib/errors";
import { UserId } from "../notifications/input";
import { enqueueUserEvents } from "../sync/deliver";
import { deleteUser, getUser, upsertUser, UserInput, UserView, type UserEvent } from "../sync/users";

export const users = createRouter();

const params = z.object({ userId: UserId });

/**
 * Enqueues the event after the commit. A failed send does not fail the request: the user is
 * stored, and reconciliation sends a snapshot to any target left behind.
 */
function emit(c: Context<AppEnv>, event: UserEvent) {
  c.executionCtx.waitUntil(
    enqueueUserEvents(c.env, [event]).catch((error) =>
      console.error(JSON.stringify({ level: "error", msg: "user event enqueue failed", requestId: c.get("requestId"), type: event.type, error: String(error) })),
    ),
  );
}

users.openapi(
  createRoute({
    method: "put",
    path: "/v1/users/{userId}",
    operationId: "upsertUser",
    tags: ["users"],
    summary: "Create or update a user",
    description:
      "Fields given are set (`null` clears one), fields omitted are kept. A real change increments `version` and emits `user.created`, `user.updated` or `user.status_changed`; an unchanged upsert changes nothing and emits nothing. Concurrent upserts serialise: none is lost, no version is reused.",
    request: { params, ...jsonRequest(UserInput) },
    responses: {
      200: { description: "Updated or unchanged", content: { "application/json": { schema: UserView } } },
      201: { description: "Created", content: { "application/json": { schema: UserView } } },
      ...commonErrors,
    },
  }),
  async (c) => {
    const { user, created, event } = await upsertUser(c.env.DB, c.req.valid("param").userId, c.req.valid("json"));
    if (event) emit(c, event);
    return created ? c.json(user, 201) : c.json(user, 200);
  },
);

users.openapi(
  createRoute({
    method: "get",
    path: "/v1/users/{userId}",
    operationId: "getUser",
    tags: ["users"],
    summary: "Get a user",
    description: "The user as last stored; a deleted user is 404.",
    request: { params },
    responses: {
      200: { description: "The user", content: { "application/json": { schema: UserView } } },
      ...commonErrors,
      404: problemResponse("No such user (or deleted)"),
    },
  }),
  async (c) => {
    const user = await getUser(c.env.DB, c.req.valid("param").userId);
    if (!user) throw new ApiError("not_found", "No user has this id.");
    return c.json(user, 200);
  },
);

users.openapi(
  createRoute({
    method: "delete",
    path: "/v1/users/{userId}",
    operationId: "deleteUser",
    tags: ["users"],
    summary: "Delete a user",
    description: "Soft delete: `version` increments and `user.deleted` is emitted. A later `PUT` creates the user anew (`user.created`).",
    request: { params },
    responses: {
      200: { description: "Deleted", content: { "application/json": { schema: UserView } } },
      ...commonErrors,
      404: problemResponse("No such user"),
    },
  }),
  async (c) => {
    const event = await deleteUser(c.env.DB, c.req.valid("param").userId);
    if (!event) throw new ApiError("not_found", "No user has this id.");
    emit(c, event);
    return c.json(event.user, 200);
  },
);
