namespace Perisai.Storage.Sql;

/// <summary>Passwords and lockout for the web interface (issue 7).</summary>
public abstract partial class SqlStore
{
    /// <inheritdoc />
    public Task SetPasswordAsync(string accountId, string? passwordHash, CancellationToken ct = default) =>
        ExecuteAsync("UPDATE accounts SET password_hash = @passwordHash, failed_logins = 0, locked_until = 0 WHERE id = @accountId", new { accountId, passwordHash }, ct);

    /// <inheritdoc />
    public Task<LoginRecord?> FindLoginAsync(string accountName, CancellationToken ct = default) =>
        QueryFirstAsync<LoginRecord>("SELECT id AS AccountId, password_hash AS PasswordHash, failed_logins AS FailedLogins, locked_until AS LockedUntil FROM accounts WHERE name = @accountName",
            new { accountName }, ct);

    /// <inheritdoc />
    public Task RecordLoginAsync(string accountId, bool success, long lockUntil, CancellationToken ct = default) => success
        ? ExecuteAsync("UPDATE accounts SET failed_logins = 0, locked_until = 0 WHERE id = @accountId", new { accountId }, ct)
        : ExecuteAsync("UPDATE accounts SET failed_logins = failed_logins + 1, locked_until = @lockUntil WHERE id = @accountId", new { accountId, lockUntil }, ct);
}
