// oidc_idp.mjs - a real OpenID Connect provider for the single sign-on
// tests: npm oidc-provider on 127.0.0.1 with one confidential client
// (client_secret_basic, PKCE), accounts whose groups the test changes, the
// groups in the ID token, and its development login form (any password).
// Consent is granted by loadExistingGrant, so a sign-in is: the login form,
// then the redirect back. rotate() swaps in new signing keys (a new kid,
// RS256 or ES256) as a provider rotating its keys would.
//
// The provider listens first (its issuer URL goes on Switchyard's command
// line); configure() then builds it for Switchyard's callback URL.
import http from 'node:http';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';

export const CLIENT_ID = 'switchyard-test';
export const CLIENT_SECRET = 'test-client-secret-0123456789';

function signingKey(alg) {
  const { privateKey } = alg === 'ES256'
    ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: `k-${randomUUID()}`, alg, use: 'sig' };
}

// authMethod: how the client authenticates at the token endpoint; the
// provider advertises only that one.
export async function startIdp({ authMethod = 'client_secret_basic' } = {}) {
  let handler = (req, res) => { res.statusCode = 503; res.end('not configured yet'); };
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  // accounts[login] = { name, groups }; the test edits them between sign-ins.
  const accounts = {};
  let redirectUri = null;
  let alg = 'RS256';

  function build(key) {
    const provider = new Provider(issuer, {
      clients: [{
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: authMethod,
        id_token_signed_response_alg: alg,
      }],
      jwks: { keys: [key] },
      cookies: { keys: ['oidc-test-cookie-key'] },
      clientAuthMethods: [authMethod],
      claims: { openid: ['sub'], profile: ['preferred_username', 'name'], groups: ['groups'] },
      scopes: ['openid', 'profile', 'groups'],
      conformIdTokenClaims: false, // the groups go in the ID token
      pkce: { required: () => true },
      async findAccount(ctx, id) {
        const a = accounts[id];
        if (!a) return undefined;
        return {
          accountId: id,
          async claims() { return { sub: id, preferred_username: a.name ?? id, groups: a.groups }; },
        };
      },
      async loadExistingGrant(ctx) {
        const grantId = ctx.oidc.result?.consent?.grantId
          || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
        if (grantId) return ctx.oidc.provider.Grant.find(grantId);
        const grant = new ctx.oidc.provider.Grant({
          clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
        });
        grant.addOIDCScope('openid profile groups');
        await grant.save();
        return grant;
      },
    });
    handler = provider.callback();
    return provider;
  }

  return {
    issuer,
    accounts,
    configure(uri) { redirectUri = uri; build(signingKey(alg)); },
    // New keys (and algorithm): the old kid is gone from the JWK Set.
    rotate(newAlg) { alg = newAlg; build(signingKey(alg)); },
    close() { return new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }); },
  };
}

// ---- a browser without a browser: cookies and redirects by hand -----------

export class Jar {
  constructor() { this.cookies = new Map(); }
  take(res) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      if (/max-age=0/i.test(c) || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1));
    }
  }
  header() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
  get(name) { return this.cookies.get(name); }
}

async function get(url, jar) {
  const res = await fetch(url, { redirect: 'manual', headers: { Cookie: jar.header() } });
  jar.take(res);
  return res;
}

// The form of an HTML page: its action and fields (hidden inputs).
function form(html, base) {
  const action = html.match(/<form[^>]*action="([^"]+)"/);
  if (!action) throw new Error(`no form in the provider's page:\n${html.slice(0, 500)}`);
  const fields = {};
  for (const m of html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields[m[1]] = m[2];
  return { action: new URL(action[1].replace(/&amp;/g, '&'), base).toString(), fields };
}

// Walks the provider from its authorization URL as `login`: the login form
// (and any further form), until it sends the browser back to `back`. Returns
// that URL (Switchyard's callback with code and state).
export async function throughProvider(authorizeUrl, login, back) {
  const jar = new Jar();
  let url = authorizeUrl;
  for (let step = 0; step < 12; step++) {
    if (url.startsWith(back)) return url;
    const res = await get(url, jar);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location'), url).toString();
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`provider answered ${res.status}: ${html.slice(0, 300)}`);
    const f = form(html, url);
    const body = new URLSearchParams({ ...f.fields, login, password: 'any-password' });
    const posted = await fetch(f.action, {
      method: 'POST', redirect: 'manual', body,
      headers: { Cookie: jar.header(), 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    jar.take(posted);
    if (posted.status < 300 || posted.status >= 400) throw new Error(`form post answered ${posted.status}: ${(await posted.text()).slice(0, 300)}`);
    url = new URL(posted.headers.get('location'), f.action).toString();
  }
  throw new Error('the provider never sent the browser back');
}
