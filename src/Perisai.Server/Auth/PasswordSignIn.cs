using Perisai.Server.Sharing;
using Perisai.Storage;

namespace Perisai.Server.Auth;

/// <summary>
/// A person's sign-in with an account name and password (the web interface): PBKDF2 verification, the lockout after
/// <see cref="Passwords.MaxFailures"/> failures, and the audit entries, in one place beside the API's key check.
/// </summary>
public sealed class PasswordSignIn(IStixStore store, TimeProvider time, AuditLog audit)
{
    /// <summary>
    /// The account, or null for every failure alike (unknown account, no password, wrong password, locked), so that a
    /// prober learns nothing from the answer.
    /// </summary>
    public async Task<Account?> SignInAsync(string accountName, string password, string? source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(accountName);
        ArgumentNullException.ThrowIfNull(password);
        long micros = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;
        var login = await store.FindLoginAsync(accountName, ct).ConfigureAwait(false);
        bool locked = login is not null && login.LockedUntil > micros;
        bool ok = Passwords.Verify(login?.PasswordHash, password) && login is not null && !locked;
        if (login is not null && !locked)
        {
            long lockUntil = !ok && login.FailedLogins + 1 >= Passwords.MaxFailures ? micros + Passwords.LockFor.Ticks / 10 : 0;
            await store.RecordLoginAsync(login.AccountId, ok, lockUntil, ct).ConfigureAwait(false);
        }
        var account = ok ? await store.GetAccountAsync(login!.AccountId, ct).ConfigureAwait(false) : null;
        if (account is null)
        {
            if (login is not null)
            {
                audit.Record(login.AccountId, null, locked ? "ui.signin.locked" : "ui.signin.failed", null, null, source);
            }
            return null;
        }
        audit.Record(account.Id, account.OrgId, "ui.signin", null, null, source);
        return account;
    }
}

/// <summary>The caller of a signed-in session: its account as it is now (null when it no longer exists) under the current trust model.</summary>
public sealed class SessionCallers(IStixStore store, TrustCache trust)
{
    /// <summary>The caller whose session names <paramref name="accountId"/>, or null.</summary>
    public async Task<Caller?> ForAccountAsync(string accountId, string? source, CancellationToken ct)
    {
        if (await store.GetAccountAsync(accountId, ct).ConfigureAwait(false) is not { } account)
        {
            return null;
        }
        return new Caller(account, await trust.GetAsync(ct).ConfigureAwait(false), source);
    }
}
