using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Perisai.Server.Auth;

namespace Perisai.Web;

/// <summary>
/// The signed-in person as the node's <see cref="Caller"/>: the same account, organization and trust model as an API
/// call, so the pages read through the one sharing policy and not a copy of it.
/// </summary>
public sealed class WebCaller(SessionCallers sessions)
{
    private Caller? _caller;

    /// <summary>The caller, or null when the session names an account that no longer exists.</summary>
    public async Task<Caller?> GetAsync(HttpContext context, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_caller is not null)
        {
            return _caller;
        }
        if (context.User.FindFirstValue(ClaimTypes.NameIdentifier) is not { } id)
        {
            return null;
        }
        return _caller = await sessions.ForAccountAsync(id, context.Connection.RemoteIpAddress?.ToString(), ct).ConfigureAwait(false);
    }
}
