using Perisai.Storage;

namespace Perisai.Server.Auth;

/// <summary>Who is asking: an authenticated account, its organization, and what that organization may do.</summary>
public sealed class Caller(Account account, IReadOnlyDictionary<string, Grant> grants)
{
    /// <summary>The account.</summary>
    public Account Account { get; } = account;

    /// <summary>Whether the account administers the node (every collection, every right).</summary>
    public bool IsAdmin => Account.IsAdmin;

    /// <summary>Whether the caller may see that the collection exists.</summary>
    public bool CanSee(string collectionId) => IsAdmin || grants.ContainsKey(collectionId);

    /// <summary>Whether the caller may read objects of the collection.</summary>
    public bool CanRead(string collectionId) => IsAdmin || (grants.TryGetValue(collectionId, out var g) && g.CanRead);

    /// <summary>Whether the caller may add objects to the collection.</summary>
    public bool CanWrite(string collectionId) => IsAdmin || (grants.TryGetValue(collectionId, out var g) && g.CanWrite);
}
