// The Mastodon API entities the client reads (the fields it uses).

export type Visibility = 'public' | 'unlisted' | 'private' | 'direct';

export interface Field {
  name: string;
  value: string;
}

export interface Account {
  id: string;
  username: string;
  acct: string;
  display_name: string;
  locked: boolean;
  bot: boolean;
  discoverable?: boolean | null;
  noindex?: boolean | null;
  note: string;
  url: string;
  avatar: string;
  header: string;
  followers_count: number;
  following_count: number;
  statuses_count: number;
  created_at: string;
  fields: Field[];
  moved?: Account | null;
  source?: {
    note: string;
    privacy: Visibility;
    sensitive: boolean;
    language: string | null;
    fields: Field[];
  };
  role?: { name: string; permissions: string } | null;
}

export interface Mention {
  id: string;
  username: string;
  acct: string;
  url: string;
}

export interface Status {
  id: string;
  uri: string;
  url: string | null;
  created_at: string;
  edited_at: string | null;
  account: Account;
  content: string;
  visibility: Visibility;
  sensitive: boolean;
  spoiler_text: string;
  language: string | null;
  in_reply_to_id: string | null;
  in_reply_to_account_id: string | null;
  reblog: Status | null;
  replies_count: number;
  reblogs_count: number;
  favourites_count: number;
  favourited?: boolean;
  reblogged?: boolean;
  bookmarked?: boolean;
  pinned?: boolean;
  muted?: boolean;
  mentions: Mention[];
  media_attachments: unknown[];
}

export interface Notification {
  id: string;
  type: string;
  created_at: string;
  account: Account;
  status?: Status | null;
}

export interface Relationship {
  id: string;
  following: boolean;
  followed_by: boolean;
  requested: boolean;
  blocking: boolean;
  blocked_by: boolean;
  muting: boolean;
  domain_blocking: boolean;
  note?: string;
}

export interface Rule {
  id: string;
  text: string;
  hint?: string;
}

export interface Instance {
  domain: string;
  title: string;
  description: string;
  version: string;
  configuration: {
    statuses: { max_characters: number; characters_reserved_per_url?: number };
  };
  registrations: { enabled: boolean; approval_required: boolean; message: string | null };
  contact?: { email?: string; account?: Account | null };
  rules: Rule[];
  languages?: string[];
  roost_privacy?: PrivacyFacts;
}

export interface Context {
  ancestors: Status[];
  descendants: Status[];
}

/** Roost's privacy facts (the instance's roost_privacy extension). */
export interface PrivacyFacts {
  instance: string;
  url: string;
  ip_addresses_logged: boolean;
  user_agents_logged: boolean;
  direct_messages: { end_to_end_encrypted: boolean; readable_by: string };
  encryption_at_rest: { enabled: boolean; summary: string };
  retention: { category: string; label: string; max_age_days: number; kept: string; description: string }[];
  sign_up: { mode: string; approval_required: boolean; email_required: boolean; reason_required: boolean; asks: string[] };
  jurisdiction: string;
  hosting_provider: string;
  legal_policy_url: string;
}
