using System.Text;
using Microsoft.AspNetCore.Http;
using Perisai.Server.Taxii;
using Perisai.Storage;

namespace Perisai.Server.Auth;

/// <summary>
/// Resolves the caller of a request from <c>Authorization: Bearer &lt;key&gt;</c> or HTTP Basic (account name and key
/// as the password). Every failure is the same 401, so a prober learns nothing about which part was wrong.
/// </summary>
public sealed class Authenticator(IStixStore store, Perisai.Server.Sharing.TrustCache trust)
{
    /// <summary>The authenticated caller, or a 401 <see cref="TaxiiException"/>.</summary>
    public async Task<Caller> AuthenticateAsync(HttpRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? header = request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            throw new TaxiiException(401, TaxiiMessages.Unauthenticated, TaxiiMessages.UnauthenticatedDetail);
        }
        string? presented = null, user = null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = header[7..].Trim();
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                int colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    user = decoded[..colon];
                    presented = decoded[(colon + 1)..];
                }
            }
            catch (FormatException)
            {
                presented = null;
            }
        }
        if (presented is null || !ApiKeys.TryParse(presented, out string keyId, out string secret))
        {
            throw Denied();
        }
        var key = await store.FindApiKeyAsync(keyId, ct).ConfigureAwait(false);
        if (key is null || key.Revoked || !ApiKeys.Verify(key, secret))
        {
            throw Denied();
        }
        var account = await store.GetAccountAsync(key.AccountId, ct).ConfigureAwait(false) ?? throw Denied();
        if (user is not null && !string.Equals(user, account.Name, StringComparison.Ordinal))
        {
            throw Denied();
        }
        var model = await trust.GetAsync(ct).ConfigureAwait(false);
        return new Caller(account, model, request.HttpContext.Connection.RemoteIpAddress?.ToString());
    }

    private static TaxiiException Denied() => new(401, TaxiiMessages.Unauthenticated, TaxiiMessages.BadCredentials);
}
