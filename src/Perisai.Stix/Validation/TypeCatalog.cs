using System.Collections.Frozen;
using System.Text.Json;
using Perisai.Stix.Markings;

namespace Perisai.Stix.Validation;

/// <summary>What kind of STIX object a type is (STIX 2.1 §1.2, §4–§7).</summary>
public enum ObjectCategory
{
    /// <summary>STIX Domain Object (§4).</summary>
    Sdo,

    /// <summary>STIX Relationship Object (§5).</summary>
    Sro,

    /// <summary>STIX Cyber-observable Object (§6).</summary>
    Sco,

    /// <summary>STIX Meta Object: marking-definition, language-content, extension-definition (§7).</summary>
    Meta,

    /// <summary>A custom object (§11.1) this node does not know.</summary>
    Custom,
}

/// <summary>The value shape a property must have.</summary>
internal enum Kind
{
    String,
    Boolean,
    Integer,
    Float,
    Timestamp,
    Identifier,
    IdentifierList,
    StringList,
    Dictionary,
    Hashes,
    KillChainPhases,
    Binary,
    Hex,
    List,
    Any,
}

/// <summary>One property of a type: its shape, whether it is required, and what it may refer to or contain.</summary>
internal sealed record PropertySpec(string Name, Kind Kind, bool Required = false)
{
    /// <summary>Types a <c>_ref</c>/<c>_refs</c> may point to; null means any type.</summary>
    public FrozenSet<string>? RefTypes { get; init; }

    /// <summary>Name of the §10 vocabulary the value (or each list item) is drawn from.</summary>
    public string? Vocabulary { get; init; }

    public long Min { get; init; } = long.MinValue;

    public long Max { get; init; } = long.MaxValue;
}

/// <summary>The rules of one STIX type.</summary>
internal sealed record TypeSpec(string Name, ObjectCategory Category, FrozenDictionary<string, PropertySpec> Properties, string Section)
{
    /// <summary>Conditional rules the property table cannot say (e.g. "one of region, country or latitude").</summary>
    public Action<ValidationContext>? Check { get; init; }

    /// <summary>ID contributing properties of an SCO (§3.4), in the order the specification lists them.</summary>
    public string[] IdContributing { get; init; } = [];
}

/// <summary>
/// The STIX 2.1 types with their property tables: 19 SDOs (§4), 2 SROs (§5), 18 SCOs (§6) and the meta objects (§7).
/// </summary>
internal static class TypeCatalog
{
    /// <summary>All SCO type names; used where a reference may point to "any SCO".</summary>
    public static readonly string[] ScoTypes =
    [
        "artifact", "autonomous-system", "directory", "domain-name", "email-addr", "email-message", "file",
        "ipv4-addr", "ipv6-addr", "mac-addr", "mutex", "network-traffic", "process", "software", "url",
        "user-account", "windows-registry-key", "x509-certificate",
    ];

    /// <summary>All SDO type names.</summary>
    public static readonly string[] SdoTypes =
    [
        "attack-pattern", "campaign", "course-of-action", "grouping", "identity", "incident", "indicator",
        "infrastructure", "intrusion-set", "location", "malware", "malware-analysis", "note", "observed-data",
        "opinion", "report", "threat-actor", "tool", "vulnerability",
    ];

    private static readonly string[] IpOrDomain = ["ipv4-addr", "ipv6-addr", "mac-addr", "domain-name"];

    public static readonly FrozenDictionary<string, TypeSpec> Types = Build().ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    public static TypeSpec? Find(string type) => Types.GetValueOrDefault(type);

    private static IEnumerable<TypeSpec> Build()
    {
        // §4 STIX Domain Objects
        yield return Sdo("attack-pattern", "4.1", Req("name"), S("description"), L("aliases"), Kcp());
        yield return Sdo("campaign", "4.2", Req("name"), S("description"), L("aliases"), Ts("first_seen"), Ts("last_seen"), S("objective"))
            with { Check = c => c.TimeNotBefore("last_seen", "first_seen") };
        yield return Sdo("course-of-action", "4.3", Req("name"), S("description"), P("action", Kind.Any));
        yield return Sdo("grouping", "4.4", S("name"), S("description"), Ov("context", "grouping-context-ov") with { Required = true },
            Refs("object_refs") with { Required = true });
        yield return Sdo("identity", "4.5", Req("name"), S("description"), L("roles"), Ov("identity_class", "identity-class-ov"),
            OvList("sectors", "industry-sector-ov"), S("contact_information"));
        yield return Sdo("incident", "4.6", Req("name"), S("description"), Kcp());
        yield return Sdo("indicator", "4.7", S("name"), S("description"), OvList("indicator_types", "indicator-type-ov"),
            Req("pattern"), Ov("pattern_type", "pattern-type-ov") with { Required = true }, S("pattern_version"),
            Ts("valid_from") with { Required = true }, Ts("valid_until"), Kcp())
            with { Check = c => c.TimeAfter("valid_until", "valid_from") };
        yield return Sdo("infrastructure", "4.8", Req("name"), S("description"), OvList("infrastructure_types", "infrastructure-type-ov"),
            L("aliases"), Kcp(), Ts("first_seen"), Ts("last_seen"))
            with { Check = c => c.TimeNotBefore("last_seen", "first_seen") };
        yield return Sdo("intrusion-set", "4.9", Req("name"), S("description"), L("aliases"), Ts("first_seen"), Ts("last_seen"), L("goals"),
            Ov("resource_level", "attack-resource-level-ov"), Ov("primary_motivation", "attack-motivation-ov"),
            OvList("secondary_motivations", "attack-motivation-ov"))
            with { Check = c => c.TimeNotBefore("last_seen", "first_seen") };
        yield return Sdo("location", "4.10", S("name"), S("description"), P("latitude", Kind.Float) with { Min = -90, Max = 90 },
            P("longitude", Kind.Float) with { Min = -180, Max = 180 }, P("precision", Kind.Float) with { Min = 0 },
            Ov("region", "region-ov"), S("country"), S("administrative_area"), S("city"), S("street_address"), S("postal_code"))
            with { Check = LocationRules };
        yield return Sdo("malware", "4.11", S("name"), S("description"), OvList("malware_types", "malware-type-ov"),
            P("is_family", Kind.Boolean, Required: true), L("aliases"), Kcp(), Ts("first_seen"), Ts("last_seen"),
            Refs("operating_system_refs", "software"), OvList("architecture_execution_envs", "processor-architecture-ov"),
            OvList("implementation_languages", "implementation-language-ov"), OvList("capabilities", "malware-capabilities-ov"),
            Refs("sample_refs", "file", "artifact"))
            with { Check = MalwareRules };
        yield return Sdo("malware-analysis", "4.12", Req("product"), S("version"), Ref("host_vm_ref", "software"),
            Ref("operating_system_ref", "software"), Refs("installed_software_refs", "software"), S("configuration_version"),
            L("modules"), S("analysis_engine_version"), S("analysis_definition_version"), Ts("submitted"), Ts("analysis_started"),
            Ts("analysis_ended"), Ov("result_name", null), Ov("result", "malware-result-ov"), Refs("analysis_sco_refs", ScoTypes),
            Ref("sample_ref", "file", "network-traffic", "artifact"))
            with { Check = c => { c.OneOf("result", "analysis_sco_refs"); c.TimeNotBefore("analysis_ended", "analysis_started"); } };
        yield return Sdo("note", "4.13", S("abstract"), Req("content"), L("authors"), Refs("object_refs") with { Required = true });
        yield return Sdo("observed-data", "4.14", Ts("first_observed") with { Required = true }, Ts("last_observed") with { Required = true },
            P("number_observed", Kind.Integer, Required: true) with { Min = 1, Max = 999_999_999 }, P("objects", Kind.Dictionary),
            Refs("object_refs", [.. ScoTypes, "relationship", "sighting"]))
            with { Check = c => { c.ExactlyOne("objects", "object_refs"); c.TimeNotBefore("last_observed", "first_observed"); } };
        yield return Sdo("opinion", "4.15", S("explanation"), L("authors"), En("opinion", "opinion-enum") with { Required = true },
            Refs("object_refs") with { Required = true });
        yield return Sdo("report", "4.16", Req("name"), S("description"), OvList("report_types", "report-type-ov"),
            Ts("published") with { Required = true }, Refs("object_refs") with { Required = true });
        yield return Sdo("threat-actor", "4.17", Req("name"), S("description"), OvList("threat_actor_types", "threat-actor-type-ov"),
            L("aliases"), Ts("first_seen"), Ts("last_seen"), OvList("roles", "threat-actor-role-ov"), L("goals"),
            Ov("sophistication", "threat-actor-sophistication-ov"), Ov("resource_level", "attack-resource-level-ov"),
            Ov("primary_motivation", "attack-motivation-ov"), OvList("secondary_motivations", "attack-motivation-ov"),
            OvList("personal_motivations", "attack-motivation-ov"))
            with { Check = c => c.TimeNotBefore("last_seen", "first_seen") };
        yield return Sdo("tool", "4.18", Req("name"), S("description"), OvList("tool_types", "tool-type-ov"), L("aliases"), Kcp(), S("tool_version"));
        yield return Sdo("vulnerability", "4.19", Req("name"), S("description"));

        // §5 STIX Relationship Objects
        string[] sdoOrSco = [.. SdoTypes, .. ScoTypes];
        yield return Make("relationship", ObjectCategory.Sro, "5.1", Req("relationship_type"), S("description"),
            Ref("source_ref", sdoOrSco) with { Required = true }, Ref("target_ref", sdoOrSco) with { Required = true },
            Ts("start_time"), Ts("stop_time"))
            with { Check = c => c.TimeAfter("stop_time", "start_time") };
        yield return Make("sighting", ObjectCategory.Sro, "5.2", S("description"), Ts("first_seen"), Ts("last_seen"),
            P("count", Kind.Integer) with { Min = 0, Max = 999_999_999 }, Ref("sighting_of_ref", SdoTypes) with { Required = true },
            Refs("observed_data_refs", "observed-data"), Refs("where_sighted_refs", "identity", "location"), P("summary", Kind.Boolean))
            with { Check = c => c.TimeNotBefore("last_seen", "first_seen") };

        // §6 STIX Cyber-observable Objects, with their ID contributing properties (§3.4)
        yield return Sco("artifact", "6.1", ["hashes", "payload_bin"], S("mime_type"), P("payload_bin", Kind.Binary), S("url"), H(),
            En("encryption_algorithm", "encryption-algorithm-enum"), S("decryption_key"))
            with { Check = c => { c.Exclusive("payload_bin", "url"); c.Requires("url", "hashes"); c.Requires("decryption_key", "encryption_algorithm"); c.Url("url"); c.MimeType("mime_type"); } };
        yield return Sco("autonomous-system", "6.2", ["number"], P("number", Kind.Integer, Required: true), S("name"), S("rir"));
        yield return Sco("directory", "6.3", ["path"], Req("path"), S("path_enc"), Ts("ctime"), Ts("mtime"), Ts("atime"),
            Refs("contains_refs", "file", "directory"));
        yield return Sco("domain-name", "6.4", ["value"], Req("value"), Refs("resolves_to_refs", "ipv4-addr", "ipv6-addr", "domain-name"));
        yield return Sco("email-addr", "6.5", ["value"], Req("value"), S("display_name"), Ref("belongs_to_ref", "user-account"));
        yield return Sco("email-message", "6.6", ["from_ref", "subject", "body"], P("is_multipart", Kind.Boolean, Required: true),
            Ts("date"), S("content_type"), Ref("from_ref", "email-addr"), Ref("sender_ref", "email-addr"), Refs("to_refs", "email-addr"),
            Refs("cc_refs", "email-addr"), Refs("bcc_refs", "email-addr"), S("message_id"), S("subject"), L("received_lines"),
            P("additional_header_fields", Kind.Dictionary), S("body"), P("body_multipart", Kind.List), Ref("raw_email_ref", "artifact"))
            with { Check = EmailRules };
        yield return Sco("file", "6.7", ["hashes", "name", "extensions", "parent_directory_ref"], H(),
            P("size", Kind.Integer) with { Min = 0 }, S("name"), S("name_enc"), P("magic_number_hex", Kind.Hex), S("mime_type"),
            Ts("ctime"), Ts("mtime"), Ts("atime"), Ref("parent_directory_ref", "directory"), Refs("contains_refs", ScoTypes),
            Ref("content_ref", "artifact"))
            with { Check = c => { c.OneOf("hashes", "name"); c.MimeType("mime_type"); } };
        yield return Sco("ipv4-addr", "6.8", ["value"], Req("value"), Refs("resolves_to_refs", "mac-addr"), Refs("belongs_to_refs", "autonomous-system"));
        yield return Sco("ipv6-addr", "6.9", ["value"], Req("value"), Refs("resolves_to_refs", "mac-addr"), Refs("belongs_to_refs", "autonomous-system"));
        yield return Sco("mac-addr", "6.10", ["value"], Req("value"));
        yield return Sco("mutex", "6.11", ["name"], Req("name"));
        yield return Sco("network-traffic", "6.12", ["start", "end", "src_ref", "dst_ref", "src_port", "dst_port", "protocols", "extensions"],
            Ts("start"), Ts("end"), P("is_active", Kind.Boolean), Ref("src_ref", IpOrDomain), Ref("dst_ref", IpOrDomain),
            P("src_port", Kind.Integer) with { Min = 0, Max = 65535 }, P("dst_port", Kind.Integer) with { Min = 0, Max = 65535 },
            L("protocols") with { Required = true }, P("src_byte_count", Kind.Integer) with { Min = 0 }, P("dst_byte_count", Kind.Integer) with { Min = 0 },
            P("src_packets", Kind.Integer) with { Min = 0 }, P("dst_packets", Kind.Integer) with { Min = 0 }, P("ipfix", Kind.Dictionary),
            Ref("src_payload_ref", "artifact"), Ref("dst_payload_ref", "artifact"), Refs("encapsulates_refs", "network-traffic"),
            Ref("encapsulated_by_ref", "network-traffic"))
            with { Check = c => { c.OneOf("src_ref", "dst_ref"); c.TimeNotBefore("end", "start"); } };
        yield return Sco("process", "6.13", [], P("is_hidden", Kind.Boolean), P("pid", Kind.Integer), Ts("created_time"), S("cwd"),
            S("command_line"), P("environment_variables", Kind.Dictionary), Refs("opened_connection_refs", "network-traffic"),
            Ref("creator_user_ref", "user-account"), Ref("image_ref", "file"), Ref("parent_ref", "process"), Refs("child_refs", "process"))
            with { Check = c => c.AnyBeyondCommon() };
        yield return Sco("software", "6.14", ["name", "cpe", "swid", "vendor", "version"], Req("name"), S("cpe"), S("swid"), L("languages"),
            S("vendor"), S("version")) with { Check = SoftwareRules };
        yield return Sco("url", "6.15", ["value"], Req("value")) with { Check = c => c.Url("value") };
        yield return Sco("user-account", "6.16", ["account_type", "user_id", "account_login"], S("user_id"), S("credential"),
            S("account_login"), Ov("account_type", "account-type-ov"), S("display_name"), P("is_service_account", Kind.Boolean),
            P("is_privileged", Kind.Boolean), P("can_escalate_privs", Kind.Boolean), P("is_disabled", Kind.Boolean),
            Ts("account_created"), Ts("account_expires"), Ts("credential_last_changed"), Ts("account_first_login"), Ts("account_last_login"))
            with { Check = c => c.AnyBeyondCommon() };
        yield return Sco("windows-registry-key", "6.17", ["key", "values"], S("key"), P("values", Kind.List), Ts("modified_time"),
            Ref("creator_user_ref", "user-account"), P("number_of_subkeys", Kind.Integer) with { Min = 0 })
            with { Check = RegistryKeyRules };
        yield return Sco("x509-certificate", "6.18", ["hashes", "serial_number"], P("is_self_signed", Kind.Boolean), H(), S("version"),
            S("serial_number"), S("signature_algorithm"), S("issuer"), Ts("validity_not_before"), Ts("validity_not_after"), S("subject"),
            S("subject_public_key_algorithm"), S("subject_public_key_modulus"), P("subject_public_key_exponent", Kind.Integer) with { Min = 0 },
            P("x509_v3_extensions", Kind.Dictionary))
            with { Check = c => { c.AnyBeyondCommon(); c.TimeNotBefore("validity_not_after", "validity_not_before"); } };

        // §7 STIX Meta Objects
        yield return Make("language-content", ObjectCategory.Meta, "7.1", Ref("object_ref") with { Required = true }, Ts("object_modified"),
            P("contents", Kind.Dictionary, Required: true));
        yield return Make("marking-definition", ObjectCategory.Meta, "7.2", S("name"), S("definition_type"), P("definition", Kind.Dictionary))
            with { Check = MarkingRules };
        yield return Make("extension-definition", ObjectCategory.Meta, "7.3", Req("name"), S("description"), Req("schema"), Req("version"),
            En("extension_types", "extension-type-enum", list: true) with { Required = true }, L("extension_properties"));
    }

    private static void LocationRules(ValidationContext c)
    {
        // §4.10.1: one of region, country, or latitude+longitude MUST be present; latitude and longitude go together;
        // precision needs both.
        c.OneOf("region", "country", "latitude");
        c.Requires("latitude", "longitude");
        c.Requires("longitude", "latitude");
        c.Requires("precision", "latitude");
    }

    private static void MalwareRules(ValidationContext c)
    {
        // §4.11.1: name is required when is_family is true.
        if (c.Has("is_family") && c.Object.GetProperty("is_family").ValueKind == JsonValueKind.True && !c.Has("name"))
        {
            c.Add(ErrorCodes.RequiredProperty, "name", ErrorCodes.Required("name") + " (malware with is_family true)");
        }
        c.TimeNotBefore("last_seen", "first_seen");
    }

    private static void EmailRules(ValidationContext c)
    {
        // §6.6.1: body and body_multipart depend on is_multipart.
        bool multipart = c.Has("is_multipart") && c.Object.GetProperty("is_multipart").ValueKind == JsonValueKind.True;
        if (multipart && c.Has("body"))
        {
            c.Add(ErrorCodes.MutuallyExclusive, "body", "'body' must not be present when is_multipart is true; use body_multipart.");
        }
        if (!multipart && c.Has("body_multipart"))
        {
            c.Add(ErrorCodes.MutuallyExclusive, "body_multipart", "'body_multipart' must not be present when is_multipart is false.");
        }
    }

    private static void RegistryKeyRules(ValidationContext c)
    {
        c.AnyBeyondCommon();
        // §6.17: key is "the full registry key including the hive"; the hive in full, upper or lower case (as the OASIS
        // validator's schema reads it), never an abbreviation such as HKLM.
        if (c.String("key") is { } key && !RegistryHives.StartsWithHive(key))
        {
            c.Add(ErrorCodes.InvalidRegistryKey, "key", ErrorCodes.RegistryKey(key));
        }
    }

    private static void SoftwareRules(ValidationContext c)
    {
        // §6.14: languages are ISO 639-2 codes (three lowercase letters).
        if (c.Object.TryGetProperty("languages", out var langs) && langs.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var l in langs.EnumerateArray())
            {
                if (l.ValueKind == JsonValueKind.String && !(l.GetString() is { Length: 3 } code && code.All(char.IsAsciiLetterLower)))
                {
                    c.Add(ErrorCodes.InvalidLanguage, $"languages[{i}]", ErrorCodes.Language(l.GetString()!, "ISO 639-2"));
                }
                i++;
            }
        }
    }

    private static void MarkingRules(ValidationContext c)
    {
        // A marking definition that marks itself (object or granular) is circular: its handling would depend on itself.
        if (c.String("id") is { } self)
        {
            if (c.Object.TryGetProperty("object_marking_refs", out var omr) && omr.ValueKind == JsonValueKind.Array && omr.EnumerateArray().Any(r => r.ValueKind == JsonValueKind.String && r.GetString() == self))
            {
                c.Add(ErrorCodes.CircularMarking, "object_marking_refs", ErrorCodes.Circular("object_marking_refs"));
            }
            if (c.Object.TryGetProperty("granular_markings", out var gmr) && gmr.ValueKind == JsonValueKind.Array
                && gmr.EnumerateArray().Any(g => g.ValueKind == JsonValueKind.Object && g.TryGetProperty("marking_ref", out var r) && r.ValueKind == JsonValueKind.String && r.GetString() == self))
            {
                c.Add(ErrorCodes.CircularMarking, "granular_markings", ErrorCodes.Circular("granular_markings"));
            }
        }
        // §7.2.1: definition_type and definition go together; a marking without them is defined by an extension (TLP 2.0).
        c.Requires("definition_type", "definition");
        c.Requires("definition", "definition_type");
        if (!c.Has("definition_type") && !c.Has("extensions"))
        {
            c.Add(ErrorCodes.MissingOneOf, "$", ErrorCodes.OneOf(["definition_type", "extensions"]));
        }
        string? id = c.Object.TryGetProperty("id", out var idEl) && idEl.ValueKind == JsonValueKind.String ? idEl.GetString() : null;
        string? type = c.Object.TryGetProperty("definition_type", out var dt) && dt.ValueKind == JsonValueKind.String ? dt.GetString() : null;
        c.Object.TryGetProperty("definition", out var definition);
        if (type == "statement" && !DefinitionString(definition, "statement", out _))
        {
            // §7.2.1.3: a statement marking's definition has a required string "statement".
            c.Add(ErrorCodes.RequiredProperty, "definition.statement", ErrorCodes.Required("statement"));
        }
        else if (type == "tlp")
        {
            // §7.2.1.4: only the four predefined TLP marking definitions may exist, each with its own level.
            if (!DefinitionString(definition, "tlp", out string? level))
            {
                c.Add(ErrorCodes.RequiredProperty, "definition.tlp", ErrorCodes.Required("tlp"));
            }
            else if (id is null || !TlpMarkings.Tlp1Names.TryGetValue(id, out string? expected) || expected != level)
            {
                c.Add(ErrorCodes.NonStandardTlp, "definition.tlp", ErrorCodes.TlpMarking(level!));
            }
        }
        if (c.Object.TryGetProperty("extensions", out var ext) && ext.ValueKind == JsonValueKind.Object
            && ext.TryGetProperty(TlpMarkings.Tlp2Extension, out var tlp2) && tlp2.ValueKind == JsonValueKind.Object)
        {
            // The TLP 2.0 extension defines exactly five markings; another id claiming a level would mislead every reader.
            string path = $"extensions.{TlpMarkings.Tlp2Extension}.tlp_2_0";
            if (!DefinitionString(tlp2, "tlp_2_0", out string? level2))
            {
                c.Add(ErrorCodes.RequiredProperty, path, ErrorCodes.Required("tlp_2_0"));
            }
            else if (id is null || !TlpMarkings.Tlp2Names.TryGetValue(id, out string? expected2) || expected2 != level2)
            {
                c.Add(ErrorCodes.NonStandardTlp, path, ErrorCodes.TlpMarking(level2!));
            }
        }
    }

    private static bool DefinitionString(JsonElement obj, string name, out string? value)
    {
        value = obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return value is not null;
    }

    private static TypeSpec Sdo(string name, string section, params PropertySpec[] props) => Make(name, ObjectCategory.Sdo, section, props);

    private static TypeSpec Sco(string name, string section, string[] idContributing, params PropertySpec[] props) =>
        Make(name, ObjectCategory.Sco, section, props) with { IdContributing = idContributing };

    private static TypeSpec Make(string name, ObjectCategory category, string section, params PropertySpec[] props) =>
        new(name, category, props.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal), section);

    private static PropertySpec P(string name, Kind kind, bool Required = false) => new(name, kind, Required);

    private static PropertySpec S(string name) => new(name, Kind.String);

    private static PropertySpec Req(string name) => new(name, Kind.String, Required: true);

    private static PropertySpec L(string name) => new(name, Kind.StringList);

    private static PropertySpec Ts(string name) => new(name, Kind.Timestamp);

    private static PropertySpec H() => new("hashes", Kind.Hashes);

    private static PropertySpec Kcp() => new("kill_chain_phases", Kind.KillChainPhases);

    private static PropertySpec Ref(string name, params string[] types) =>
        new(name, Kind.Identifier) { RefTypes = types.Length == 0 ? null : types.ToFrozenSet(StringComparer.Ordinal) };

    private static PropertySpec Refs(string name, params string[] types) =>
        new(name, Kind.IdentifierList) { RefTypes = types.Length == 0 ? null : types.ToFrozenSet(StringComparer.Ordinal) };

    private static PropertySpec Ov(string name, string? vocabulary) => new(name, Kind.String) { Vocabulary = vocabulary };

    private static PropertySpec OvList(string name, string vocabulary) => new(name, Kind.StringList) { Vocabulary = vocabulary };

    private static PropertySpec En(string name, string vocabulary, bool list = false) =>
        new(name, list ? Kind.StringList : Kind.String) { Vocabulary = vocabulary };
}
