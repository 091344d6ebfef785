namespace Perisai.Storage;

/// <summary>The names kinds, roles and principals have in the database, the CLI and the API.</summary>
public static class TrustNames
{
    private static readonly (OrgKind Kind, string Name)[] Kinds =
    [
        (OrgKind.NationalCert, "national-cert"), (OrgKind.GovernmentCsirt, "government-csirt"), (OrgKind.SectorCert, "sector-cert"),
        (OrgKind.RegionalBody, "regional-body"), (OrgKind.Partner, "partner"),
    ];

    private static readonly (Role Role, string Name)[] Roles =
        [(Role.Reader, "reader"), (Role.Analyst, "analyst"), (Role.Lead, "lead"), (Role.Admin, "admin"), (Role.Sync, "sync")];

    /// <summary>Every kind name.</summary>
    public static IEnumerable<string> KindNames => Kinds.Select(k => k.Name);

    /// <summary>Every role name.</summary>
    public static IEnumerable<string> RoleNames => Roles.Select(r => r.Name);

    /// <summary>The name of a kind.</summary>
    public static string Of(OrgKind kind) => Kinds.First(k => k.Kind == kind).Name;

    /// <summary>The name of a role.</summary>
    public static string Of(Role role) => Roles.First(r => r.Role == role).Name;

    /// <summary>The name of a principal kind.</summary>
    public static string Of(PrincipalKind kind) => kind == PrincipalKind.Community ? "community" : "org";

    /// <summary>The kind with that name; partner when unknown.</summary>
    public static OrgKind KindOf(string name) => TryKind(name, out var k) ? k : OrgKind.Partner;

    /// <summary>The kind with that name, if any.</summary>
    public static bool TryKind(string name, out OrgKind kind)
    {
        foreach (var k in Kinds)
        {
            if (k.Name == name)
            {
                kind = k.Kind;
                return true;
            }
        }
        kind = OrgKind.Partner;
        return false;
    }

    /// <summary>The role with that name; reader (the least) when unknown.</summary>
    public static Role RoleOf(string name) => TryRole(name, out var r) ? r : Role.Reader;

    /// <summary>The role with that name, if any.</summary>
    public static bool TryRole(string name, out Role role)
    {
        foreach (var r in Roles)
        {
            if (r.Name == name)
            {
                role = r.Role;
                return true;
            }
        }
        role = Role.Reader;
        return false;
    }

    /// <summary>The principal kind with that name.</summary>
    public static PrincipalKind PrincipalKindOf(string name) => name == "community" ? PrincipalKind.Community : PrincipalKind.Org;

    /// <summary>The stored name of a link direction.</summary>
    public static string Of(LinkDirection direction) => direction == LinkDirection.Push ? "push" : "pull";

    /// <summary>A link direction from its stored name.</summary>
    public static LinkDirection DirectionOf(string name) => name == "push" ? LinkDirection.Push : LinkDirection.Pull;
}
