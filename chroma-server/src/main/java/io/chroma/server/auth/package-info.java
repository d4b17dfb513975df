/**
 * Framework-free authentication and tenant/database authorization for the Chroma server.
 *
 * <p>Use: at start-up, {@code AuthSettings.fromEnvironment(System.getenv()).overriddenBy(cli flags...)} and
 * {@link io.chroma.server.auth.Authenticator#create(AuthSettings, CollectionScopeResolver)}; a bad configuration throws
 * {@link io.chroma.server.auth.AuthConfigurationException} whose message names the setting. Per request, an HTTP filter
 * calls {@link io.chroma.server.auth.Authenticator#authenticateWithoutBlocking} on the event loop and falls back to
 * {@link io.chroma.server.auth.Authenticator#authenticate} on a worker thread when that returns empty (a bcrypt miss).
 * The decision uses method, raw path, headers and query parameters only: it is made before the body is read, and a
 * denied request reaches no handler.
 *
 * <p>Choices worth knowing:
 * <ul>
 *   <li>401 {@code AuthorizationError/Unauthorized} for missing or bad credentials (Chroma 0.4's status; 0.5+ answered
 *       403 {@code AuthError/Forbidden} for those too), 403 {@code AuthError/Forbidden} for a valid user outside its
 *       tenant or databases.</li>
 *   <li>Basic users and a single configured token are unrestricted ({@code tenant "*"}, {@code databases ["*"]}); only
 *       the token users YAML restricts.</li>
 *   <li>Routes that create tenants, reset, or are not recognised under {@code /api/v1} and {@code /api/v2} need an
 *       unrestricted user; {@code POST .../tenants/{t}/databases} needs only tenant {@code t}.</li>
 *   <li>v1 record routes name a collection by id only; they are scoped through a
 *       {@link io.chroma.server.auth.CollectionScopeResolver} when one is given, else allowed for any authenticated user.
 *       v2 routes carry tenant and database in the path: handlers must still check that a collection id belongs to them.</li>
 * </ul>
 */
package io.chroma.server.auth;
