/**
 * The preference document on the wire (docs/api.md#preferences), as plain types with no imports:
 * the typed client (src/client, which runs unbundled and imports types only) and the server share
 * them. The zod schemas that validate them are in ./document.ts.
 */

export type PreferenceChannel = "in_app" | "email" | "sms" | "push";

/** Quiet hours: local `HH:MM` times (start after end crosses midnight), an IANA zone, the channels held (default email, sms, push). */
export interface QuietHoursSetting {
  start: string;
  end: string;
  timezone?: string;
  channels?: PreferenceChannel[];
}

/** The effective document: every channel switch present, the rest as set (the user's over the workspace defaults). */
export interface EffectivePreferences {
  channels: Record<PreferenceChannel, boolean>;
  categories: Record<string, { enabled?: boolean; channels?: Partial<Record<PreferenceChannel, boolean>> }>;
  quietHours: QuietHoursSetting | null;
  /** One-click unsubscribes per category and channel (`true`). */
  unsubscribed: Record<string, Partial<Record<PreferenceChannel, boolean>>>;
}

/** An RFC 7396 merge patch of the document: any member may be null to remove it. */
export interface PreferencesMergePatch {
  channels?: Partial<Record<PreferenceChannel, boolean | null>> | null;
  categories?: Record<string, { enabled?: boolean | null; channels?: Partial<Record<PreferenceChannel, boolean | null>> | null } | null> | null;
  quietHours?: QuietHoursSetting | null;
  unsubscribed?: Record<string, Partial<Record<PreferenceChannel, boolean | null>> | null> | null;
}
