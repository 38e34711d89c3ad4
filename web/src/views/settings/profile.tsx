// Profile: name, bio, up to four fields, who may follow and find the
// account, and the defaults for new posts.
import { useState } from 'preact/hooks';
import { patch } from '../../api';
import { setMe, useApp } from '../../state';
import type { Account, Field, Visibility } from '../../types';
import { ErrorBox, Loading } from '../../ui/common';
import { visibilityLabel } from '../../ui/status';
import { Saved, useAction } from './shared';

const MAX_FIELDS = 4;

interface ProfileForm {
  display_name: string;
  note: string;
  fields: Field[];
  locked: boolean;
  bot: boolean;
  discoverable: boolean;
  noindex: boolean;
  privacy: Visibility;
  sensitive: boolean;
  language: string;
}

function formOf(a: Account): ProfileForm {
  const fields = (a.source?.fields ?? []).map((f) => ({ name: f.name, value: f.value }));
  while (fields.length < MAX_FIELDS) fields.push({ name: '', value: '' });
  return {
    display_name: a.display_name ?? '',
    note: a.source?.note ?? '',
    fields: fields.slice(0, MAX_FIELDS),
    locked: a.locked,
    bot: a.bot,
    discoverable: !!a.discoverable,
    noindex: !!a.noindex,
    privacy: a.source?.privacy ?? 'public',
    sensitive: !!a.source?.sensitive,
    language: a.source?.language ?? '',
  };
}

export function ProfileSettings() {
  const { me } = useApp();
  if (!me) return <Loading />;
  return <ProfileEditor me={me} />;
}

function ProfileEditor({ me }: { me: Account }) {
  const [f, setF] = useState<ProfileForm>(() => formOf(me));
  const [warning, setWarning] = useState('');
  const act = useAction();
  const set = (p: Partial<ProfileForm>) => setF((o) => ({ ...o, ...p }));
  const setField = (i: number, p: Partial<Field>) => setF((o) => ({ ...o, fields: o.fields.map((x, j) => (j === i ? { ...x, ...p } : x)) }));

  const submit = async (e: Event) => {
    e.preventDefault();
    setWarning('');
    const a = await act.run(
      () =>
        patch<Account>('/api/v1/accounts/update_credentials', {
          display_name: f.display_name,
          note: f.note,
          fields_attributes: f.fields.filter((x) => x.name.trim() || x.value.trim()),
          locked: f.locked,
          bot: f.bot,
          discoverable: f.discoverable,
          noindex: f.noindex,
          source: { privacy: f.privacy, sensitive: f.sensitive, language: f.language.trim().toLowerCase() },
        }),
      'Profile saved.',
    );
    if (!a) return;
    setMe(a);
    // Only a server that knows the setting answers with it.
    if (typeof a.noindex === 'boolean' && a.noindex !== f.noindex)
      setWarning('The server did not save the search-engine choice; it is shown as the server has it.');
    setF(formOf(a));
  };

  return (
    <form class="form settings-form" onSubmit={submit} aria-labelledby="profile-h">
      <h2 id="profile-h">Profile</h2>
      <label for="profile-display-name">Display name</label>
      <input id="profile-display-name" maxLength={30} value={f.display_name} onInput={(e) => set({ display_name: e.currentTarget.value })} />
      <label for="profile-note">Bio</label>
      <textarea id="profile-note" maxLength={500} value={f.note} onInput={(e) => set({ note: e.currentTarget.value })} />

      <fieldset>
        <legend>Profile fields</legend>
        <p class="hint">Up to {MAX_FIELDS} label and content pairs shown on your profile, such as a website or pronouns.</p>
        {f.fields.map((x, i) => (
          <div class="field-pair" key={i}>
            <div>
              <label for={`profile-field-${i}-name`}>Label {i + 1}</label>
              <input id={`profile-field-${i}-name`} maxLength={255} value={x.name} onInput={(e) => setField(i, { name: e.currentTarget.value })} />
            </div>
            <div>
              <label for={`profile-field-${i}-value`}>Content {i + 1}</label>
              <input id={`profile-field-${i}-value`} maxLength={255} value={x.value} onInput={(e) => setField(i, { value: e.currentTarget.value })} />
            </div>
          </div>
        ))}
      </fieldset>

      <fieldset>
        <legend>Privacy and reach</legend>
        <label class="check">
          <input id="profile-locked" type="checkbox" checked={f.locked} onChange={(e) => set({ locked: e.currentTarget.checked })} />
          <span>Locked account: approve each follower yourself</span>
        </label>
        <label class="check">
          <input id="profile-discoverable" type="checkbox" checked={f.discoverable} onChange={(e) => set({ discoverable: e.currentTarget.checked })} />
          <span>Discoverable: suggest this account to others and list it in the directory</span>
        </label>
        <label class="check">
          <input id="profile-noindex" type="checkbox" checked={f.noindex} onChange={(e) => set({ noindex: e.currentTarget.checked })} />
          <span>Ask search engines not to index my profile and posts (noindex)</span>
        </label>
        <label class="check">
          <input id="profile-bot" type="checkbox" checked={f.bot} onChange={(e) => set({ bot: e.currentTarget.checked })} />
          <span>This is an automated (bot) account</span>
        </label>
      </fieldset>

      <fieldset>
        <legend>New posts</legend>
        <label for="profile-privacy">Default visibility</label>
        <select id="profile-privacy" value={f.privacy} onChange={(e) => set({ privacy: e.currentTarget.value as Visibility })}>
          {(['public', 'unlisted', 'private'] as Visibility[]).map((v) => (
            <option key={v} value={v}>
              {visibilityLabel[v]}
            </option>
          ))}
        </select>
        <label for="profile-language">Default language</label>
        <p class="hint" id="profile-language-hint">
          A two-letter ISO 639-1 code such as en or de; empty to leave it to each post.
        </p>
        <input
          id="profile-language"
          class="short"
          maxLength={8}
          aria-describedby="profile-language-hint"
          value={f.language}
          onInput={(e) => set({ language: e.currentTarget.value })}
        />
        <label class="check">
          <input id="profile-sensitive" type="checkbox" checked={f.sensitive} onChange={(e) => set({ sensitive: e.currentTarget.checked })} />
          <span>Mark my media as sensitive by default</span>
        </label>
      </fieldset>

      <ErrorBox error={act.error} />
      {warning && (
        <p class="notice" role="status">
          {warning}
        </p>
      )}
      {act.done && <Saved message={act.done} />}
      <div class="row">
        <button type="submit" class="primary" disabled={act.busy}>
          {act.busy ? 'Saving…' : 'Save profile'}
        </button>
      </div>
    </form>
  );
}
