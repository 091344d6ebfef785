using System.Collections.Frozen;
using System.Text.Json;
using Perisai.Stix.Identifiers;

namespace Perisai.Stix.Validation;

/// <summary>
/// Validates STIX 2.1 objects and reports every violation it finds, each with a code, a JSON path and a message.
/// Errors are breaches of a MUST; warnings are departures from a SHOULD or from an open vocabulary.
/// </summary>
public static class StixValidator
{
    /// <summary>The common properties of §3.2, plus the marking-only ones that every type may carry.</summary>
    internal static readonly FrozenSet<string> CommonPropertyNames = new[]
    {
        "type", "spec_version", "id", "created_by_ref", "created", "modified", "revoked", "labels", "confidence",
        "lang", "external_references", "object_marking_refs", "granular_markings", "defanged", "extensions",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, int> HashLengths = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        // §10.7 hashing-algorithm-ov: hex digest lengths of the fixed-size algorithms.
        ["MD5"] = 32, ["SHA-1"] = 40, ["SHA-256"] = 64, ["SHA-512"] = 128, ["SHA3-256"] = 64, ["SHA3-512"] = 128,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Validates one STIX object. <paramref name="path"/> prefixes every reported location. Indicator patterns are
    /// checked only when <paramref name="options"/> supplies a checker for their language (this assembly has none).
    /// </summary>
    public static IReadOnlyList<StixError> Validate(JsonElement obj, string path = "$", StixValidationOptions? options = null)
    {
        var errors = new List<StixError>();
        Validate(obj, path, errors, options);
        return errors;
    }

    /// <summary>True when the findings contain no error (warnings allowed).</summary>
    public static bool IsValid(IEnumerable<StixError> findings) => findings.All(f => f.Severity != Severity.Error);

    internal static void Validate(JsonElement obj, string path, List<StixError> errors, StixValidationOptions? options = null)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new StixError(ErrorCodes.NotAnObject, path, ErrorCodes.JsonType("a JSON object", Describe(obj.ValueKind))));
            return;
        }
        var c = new ValidationContext(obj, path, errors);
        // Read the property names once: JsonProperty.Name allocates a string on every access.
        var members = new List<(string Name, JsonElement Value)>(24);
        foreach (var p in obj.EnumerateObject())
        {
            members.Add((p.Name, p.Value));
        }
        CheckDuplicates(c, members);

        // type (§3.2, §3.1)
        string? type = RequiredString(c, "type");
        TypeSpec? spec = null;
        ObjectCategory category = ObjectCategory.Custom;
        if (type is not null)
        {
            if (!StixTypeName.IsValid(type))
            {
                c.Add(ErrorCodes.InvalidType, "type", ErrorCodes.TypeName(type));
            }
            spec = TypeCatalog.Find(type);
            if (spec is null)
            {
                c.Add(ErrorCodes.UnknownType, "type", ErrorCodes.Unknown(type), Severity.Warning);
            }
            else
            {
                category = spec.Category;
            }
        }

        // id (§2.9, §3.2)
        string? id = RequiredString(c, "id");
        if (id is not null)
        {
            if (!StixId.TryParse(id, out string? idType, out _))
            {
                c.Add(ErrorCodes.InvalidIdentifier, "id", ErrorCodes.Identifier(id));
            }
            else if (type is not null && idType != type)
            {
                c.Add(ErrorCodes.IdTypeMismatch, "id", ErrorCodes.IdType(id, type));
            }
            else if (category == ObjectCategory.Sco && StixId.UuidVersion(id) == 5)
            {
                // §2.9: UUIDv5 in the STIX namespace SHOULD be derived from the ID contributing properties.
                string? expected = ScoIdentifier.Compute(obj);
                if (expected is not null && expected != id)
                {
                    c.Add(ErrorCodes.ScoIdMismatch, "id", ErrorCodes.ScoId(expected), Severity.Warning);
                }
            }
        }

        // spec_version (§3.2): required except on SCOs, where it defaults to 2.1.
        if (c.Object.TryGetProperty("spec_version", out var sv))
        {
            if (sv.ValueKind != JsonValueKind.String)
            {
                c.Add(ErrorCodes.WrongJsonType, "spec_version", ErrorCodes.JsonType("a string", Describe(sv.ValueKind)));
            }
            else if (sv.GetString() != "2.1")
            {
                c.Add(ErrorCodes.InvalidSpecVersion, "spec_version", ErrorCodes.SpecVersion(sv.GetString()!));
            }
        }
        else if (category == ObjectCategory.Custom)
        {
            // A custom type may be a custom SCO (§11.1, §7.3 new-sco), for which spec_version is optional.
            c.Add(ErrorCodes.RequiredProperty, "spec_version", ErrorCodes.Required("spec_version"), Severity.Warning);
        }
        else if (category != ObjectCategory.Sco)
        {
            c.Add(ErrorCodes.RequiredProperty, "spec_version", ErrorCodes.Required("spec_version"));
        }

        CheckCommon(c, category, type);

        if (spec is not null)
        {
            foreach (var p in spec.Properties.Values)
            {
                if (c.Object.TryGetProperty(p.Name, out var value))
                {
                    CheckValue(c, p, value, c.At(p.Name));
                }
                else if (p.Required)
                {
                    c.Add(ErrorCodes.RequiredProperty, p.Name, ErrorCodes.Required(p.Name));
                }
            }
            spec.Check?.Invoke(c);
        }
        if (type == "indicator" && options?.StixPatternCheck is { } checkPattern)
        {
            CheckStixPattern(c, checkPattern);
        }

        // Custom properties (§11.1) and the generic suffix rules of §3.1 for every property not described above.
        foreach (var (name, value) in members)
        {
            if (CommonPropertyNames.Contains(name) || (spec?.Properties.ContainsKey(name) ?? false))
            {
                continue;
            }
            if (!IsValidPropertyName(name))
            {
                c.Add(ErrorCodes.InvalidPropertyName, name, ErrorCodes.PropertyName(name));
            }
            CheckBySuffix(c, name, value);
        }
    }

    // §4.7: pattern is "the detection pattern for this Indicator ... expressed as a STIX Pattern as specified in
    // section 9" when pattern_type is stix. Every error of the pattern is reported, each with its offset.
    private static void CheckStixPattern(ValidationContext c, Func<string, IReadOnlyList<PatternProblem>> check)
    {
        if (!c.Object.TryGetProperty("pattern_type", out var patternType) || !patternType.ValueEquals("stix")
            || !c.Object.TryGetProperty("pattern", out var pattern) || pattern.ValueKind != JsonValueKind.String)
        {
            return;
        }
        foreach (var problem in check(pattern.GetString()!))
        {
            c.Add(ErrorCodes.InvalidPattern, "pattern", ErrorCodes.Pattern(problem.Code, problem.Offset, problem.Message), problem.Warning ? Severity.Warning : Severity.Error);
        }
    }

    private static void CheckCommon(ValidationContext c, ObjectCategory category, string? type)
    {
        bool versioned = category is ObjectCategory.Sdo or ObjectCategory.Sro || type is "language-content" or "extension-definition";
        bool hasCreated = category is not (ObjectCategory.Sco or ObjectCategory.Custom);

        StixTimestamp? created = null, modified = null;
        if (hasCreated || (category == ObjectCategory.Custom && c.Has("created")))
        {
            created = RequiredTimestamp(c, "created", millis: true);
        }
        if (versioned || (category == ObjectCategory.Custom && c.Has("modified")))
        {
            // Custom objects (§11.1) may be custom SCOs without timestamps; when they carry them, the rules apply.
            modified = RequiredTimestamp(c, "modified", millis: true);
        }
        if (created is { } cr && modified is { } mo && mo < cr)
        {
            // §3.2: "modified ... MUST be later than or equal to the value of the created property."
            c.Add(ErrorCodes.ModifiedBeforeCreated, "modified", ErrorCodes.ModifiedCreated);
        }

        if (category == ObjectCategory.Sco)
        {
            foreach (string p in (ReadOnlySpan<string>)["created", "modified", "created_by_ref", "revoked", "labels", "confidence", "lang"])
            {
                if (c.Has(p))
                {
                    c.Add(ErrorCodes.NotApplicable, p, ErrorCodes.NotApplicableTo(p, "cyber-observable objects (§3.2)"), Severity.Warning);
                }
            }
        }
        else if (c.Has("defanged"))
        {
            // §3.2: defanged "MUST NOT be used on any STIX Objects other than SCOs".
            c.Add(ErrorCodes.NotApplicable, "defanged", ErrorCodes.NotApplicableTo("defanged", "objects other than SCOs"));
        }
        if (type == "marking-definition" && c.Has("modified"))
        {
            c.Add(ErrorCodes.NotApplicable, "modified", ErrorCodes.NotApplicableTo("modified", "marking definitions (§7.2.1)"));
        }

        if (type == "extension-definition" && !c.Has("created_by_ref"))
        {
            c.Add(ErrorCodes.RequiredProperty, "created_by_ref", ErrorCodes.Required("created_by_ref"));
        }
        Optional(c, new PropertySpec("created_by_ref", Kind.Identifier) { RefTypes = Set("identity") });
        Optional(c, new PropertySpec("revoked", Kind.Boolean));
        Optional(c, new PropertySpec("labels", Kind.StringList));
        Optional(c, new PropertySpec("confidence", Kind.Integer) { Min = 0, Max = 100 });
        Optional(c, new PropertySpec("lang", Kind.String));
        // §3.2 lang: an RFC 5646 language code.
        if (c.String("lang") is { } lang && !LanguageTag.IsMatch(lang))
        {
            c.Add(ErrorCodes.InvalidLanguage, "lang", ErrorCodes.Language(lang, "RFC 5646"));
        }
        Optional(c, new PropertySpec("object_marking_refs", Kind.IdentifierList) { RefTypes = Set("marking-definition") });
        Optional(c, new PropertySpec("defanged", Kind.Boolean));
        Optional(c, new PropertySpec("extensions", Kind.Dictionary));

        if (c.Object.TryGetProperty("external_references", out var refs))
        {
            CheckExternalReferences(c, refs);
        }
        if (c.Object.TryGetProperty("granular_markings", out var gm))
        {
            CheckGranularMarkings(c, gm);
        }
        if (c.Object.TryGetProperty("extensions", out var ext) && ext.ValueKind == JsonValueKind.Object)
        {
            foreach (var e in ext.EnumerateObject())
            {
                if (e.Value.ValueKind != JsonValueKind.Object)
                {
                    c.Add(ErrorCodes.WrongJsonType, $"extensions.{e.Name}", ErrorCodes.JsonType("an object", Describe(e.Value.ValueKind)));
                }
                else if (e.Name.StartsWith("extension-definition--", StringComparison.Ordinal) && !StixId.TryParse(e.Name, out _, out _))
                {
                    c.Add(ErrorCodes.InvalidIdentifier, $"extensions.{e.Name}", ErrorCodes.Identifier(e.Name));
                }
            }
        }
    }

    private static void CheckExternalReferences(ValidationContext c, JsonElement refs)
    {
        string path = c.At("external_references");
        if (refs.ValueKind != JsonValueKind.Array)
        {
            c.Errors.Add(new StixError(ErrorCodes.WrongJsonType, path, ErrorCodes.JsonType("a list", Describe(refs.ValueKind))));
            return;
        }
        int i = 0;
        foreach (var r in refs.EnumerateArray())
        {
            string at = $"{path}[{i++}]";
            if (r.ValueKind != JsonValueKind.Object)
            {
                c.Errors.Add(new StixError(ErrorCodes.WrongJsonType, at, ErrorCodes.JsonType("an external-reference object", Describe(r.ValueKind))));
                continue;
            }
            // §2.5.2: source_name is required, and at least one of description, url or external_id.
            if (!r.TryGetProperty("source_name", out var sn) || sn.ValueKind != JsonValueKind.String)
            {
                c.Errors.Add(new StixError(ErrorCodes.RequiredProperty, $"{at}.source_name", ErrorCodes.Required("source_name")));
            }
            if (!r.TryGetProperty("description", out _) && !r.TryGetProperty("url", out _) && !r.TryGetProperty("external_id", out _))
            {
                c.Errors.Add(new StixError(ErrorCodes.MissingOneOf, at, ErrorCodes.OneOf(["description", "url", "external_id"])));
            }
            if (r.TryGetProperty("hashes", out var h))
            {
                CheckHashes(c, h, $"{at}.hashes");
            }
            if (r.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String && !UrlSyntax.IsUrl(url.GetString()!))
            {
                c.Errors.Add(new StixError(ErrorCodes.InvalidUrl, $"{at}.url", ErrorCodes.Url(url.GetString()!)));
            }
            // §2.5.1: a reference to CAPEC or CVE names the entry in its own form.
            string? source = sn.ValueKind == JsonValueKind.String ? sn.GetString() : null;
            string? external = r.TryGetProperty("external_id", out var xid) && xid.ValueKind == JsonValueKind.String ? xid.GetString() : null;
            if (source is "capec" or "cve" && (external is null || !(source == "capec" ? CapecId : CveId).IsMatch(external)))
            {
                c.Errors.Add(new StixError(ErrorCodes.InvalidExternalId, $"{at}.external_id", ErrorCodes.ExternalId(source, source == "capec" ? "CAPEC-[id]" : "CVE-YYYY-NNNN")));
            }
        }
    }

    private static readonly System.Text.RegularExpressions.Regex CapecId = new("^CAPEC-[0-9]+$", System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static readonly System.Text.RegularExpressions.Regex CveId = new("^CVE-[0-9]{4}-(0[0-9]{3}|[1-9][0-9]{3,})$", System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    // RFC 5646 §2.1 language tags, as far as their syntax goes: a 2-3 letter language (or a 4-8 letter one, or a private
    // use or grandfathered "x-"/"i-" tag), then subtags of 1-8 letters or digits.
    private static readonly System.Text.RegularExpressions.Regex LanguageTag = new("^(?:[A-Za-z]{2,3}|[A-Za-z]{4,8}|[xXiI])(?:-[A-Za-z0-9]{1,8})*$", System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>§7.2.3.1: every selector of a granular marking must resolve to a property (or list item) present in the object.</summary>
    private static void CheckSelectors(ValidationContext c, JsonElement selectors, string at)
    {
        int i = 0;
        foreach (var s in selectors.EnumerateArray())
        {
            string where = $"{at}[{i++}]";
            if (s.ValueKind != JsonValueKind.String)
            {
                continue;
            }
            string selector = s.GetString()!;
            var node = c.Object;
            foreach (string segment in selector.Split('.'))
            {
                string? why = null;
                if (segment.Length > 2 && segment[0] == '[' && segment[^1] == ']')
                {
                    if (!int.TryParse(segment[1..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index))
                    {
                        why = $"'{segment}' is not a list index";
                    }
                    else if (node.ValueKind != JsonValueKind.Array)
                    {
                        why = $"'{segment}' indexes something that is not a list";
                    }
                    else if (index >= node.GetArrayLength())
                    {
                        why = $"the list has no item {index}";
                    }
                    else
                    {
                        node = node[index];
                    }
                }
                else if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(segment, out var next))
                {
                    why = $"there is no property '{segment}'";
                }
                else
                {
                    node = next;
                }
                if (why is not null)
                {
                    c.Errors.Add(new StixError(ErrorCodes.InvalidSelector, where, ErrorCodes.Selector(selector, why)));
                    break;
                }
            }
        }
    }

    private static void CheckGranularMarkings(ValidationContext c, JsonElement gm)
    {
        string path = c.At("granular_markings");
        if (gm.ValueKind != JsonValueKind.Array)
        {
            c.Errors.Add(new StixError(ErrorCodes.WrongJsonType, path, ErrorCodes.JsonType("a list", Describe(gm.ValueKind))));
            return;
        }
        int i = 0;
        foreach (var m in gm.EnumerateArray())
        {
            string at = $"{path}[{i++}]";
            if (m.ValueKind != JsonValueKind.Object)
            {
                c.Errors.Add(new StixError(ErrorCodes.WrongJsonType, at, ErrorCodes.JsonType("a granular-marking object", Describe(m.ValueKind))));
                continue;
            }
            // §7.2.3: selectors is required and non-empty; exactly one of marking_ref and lang.
            if (!m.TryGetProperty("selectors", out var sel) || sel.ValueKind != JsonValueKind.Array)
            {
                c.Errors.Add(new StixError(ErrorCodes.RequiredProperty, $"{at}.selectors", ErrorCodes.Required("selectors")));
            }
            else if (sel.GetArrayLength() == 0)
            {
                c.Errors.Add(new StixError(ErrorCodes.EmptyList, $"{at}.selectors", ErrorCodes.ListEmpty));
            }
            else
            {
                CheckSelectors(c, sel, $"{at}.selectors");
            }
            bool hasRef = m.TryGetProperty("marking_ref", out var mr);
            bool hasLang = m.TryGetProperty("lang", out _);
            if (hasRef == hasLang)
            {
                c.Errors.Add(new StixError(hasRef ? ErrorCodes.MutuallyExclusive : ErrorCodes.MissingOneOf, at,
                    hasRef ? ErrorCodes.Exclusive("marking_ref", "lang") : ErrorCodes.OneOf(["marking_ref", "lang"])));
            }
            if (hasRef)
            {
                CheckIdentifier(c, mr, $"{at}.marking_ref", Set("marking-definition"));
            }
        }
    }

    private static void Optional(ValidationContext c, PropertySpec spec)
    {
        if (c.Object.TryGetProperty(spec.Name, out var v))
        {
            CheckValue(c, spec, v, c.At(spec.Name));
        }
    }

    private static void CheckBySuffix(ValidationContext c, string name, JsonElement value)
    {
        // §3.1: the suffix of a property name says what its value is.
        string path = c.At(name);
        if (name.EndsWith("_ref", StringComparison.Ordinal))
        {
            CheckIdentifier(c, value, path, null);
        }
        else if (name.EndsWith("_refs", StringComparison.Ordinal))
        {
            CheckValue(c, new PropertySpec(name, Kind.IdentifierList), value, path);
        }
        else if (name.EndsWith("_bin", StringComparison.Ordinal))
        {
            CheckValue(c, new PropertySpec(name, Kind.Binary), value, path);
        }
        else if (name.EndsWith("_hex", StringComparison.Ordinal))
        {
            CheckValue(c, new PropertySpec(name, Kind.Hex), value, path);
        }
    }

    private static void CheckValue(ValidationContext c, PropertySpec p, JsonElement v, string path)
    {
        switch (p.Kind)
        {
            case Kind.String:
                if (Expect(c, v, JsonValueKind.String, "a string", path))
                {
                    CheckVocabulary(c, p, v.GetString()!, path);
                }
                break;
            case Kind.Boolean:
                if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    c.Errors.Add(new StixError(ErrorCodes.WrongJsonType, path, ErrorCodes.JsonType("a boolean", Describe(v.ValueKind))));
                }
                break;
            case Kind.Integer:
                if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long n))
                {
                    c.Errors.Add(new StixError(ErrorCodes.WrongJsonType, path, ErrorCodes.JsonType("an integer", Describe(v.ValueKind))));
                }
                else if (n < p.Min || n > p.Max)
                {
                    c.Errors.Add(new StixError(ErrorCodes.OutOfRange, path, ErrorCodes.Range(p.Min, p.Max)));
                }
                break;
            case Kind.Float:
                if (Expect(c, v, JsonValueKind.Number, "a number", path))
                {
                    double d = v.GetDouble();
                    if (d < p.Min || d > p.Max)
                    {
                        c.Errors.Add(new StixError(ErrorCodes.OutOfRange, path, ErrorCodes.Range(p.Min, p.Max)));
                    }
                }
                break;
            case Kind.Timestamp:
                if (Expect(c, v, JsonValueKind.String, "a timestamp string", path) && !StixTimestamp.TryParse(v.GetString(), out _))
                {
                    c.Errors.Add(new StixError(ErrorCodes.InvalidTimestamp, path, ErrorCodes.Timestamp(v.GetString()!)));
                }
                break;
            case Kind.Identifier:
                CheckIdentifier(c, v, path, p.RefTypes);
                break;
            case Kind.IdentifierList:
                if (ExpectList(c, v, path))
                {
                    int i = 0;
                    foreach (var item in v.EnumerateArray())
                    {
                        CheckIdentifier(c, item, $"{path}[{i++}]", p.RefTypes);
                    }
                }
                break;
            case Kind.StringList:
                if (ExpectList(c, v, path))
                {
                    int i = 0;
                    foreach (var item in v.EnumerateArray())
                    {
                        string at = $"{path}[{i++}]";
                        if (Expect(c, item, JsonValueKind.String, "a string", at))
                        {
                            CheckVocabulary(c, p, item.GetString()!, at);
                        }
                    }
                }
                break;
            case Kind.Dictionary:
                Expect(c, v, JsonValueKind.Object, "a dictionary", path);
                break;
            case Kind.Hashes:
                CheckHashes(c, v, path);
                break;
            case Kind.KillChainPhases:
                if (ExpectList(c, v, path))
                {
                    int i = 0;
                    foreach (var k in v.EnumerateArray())
                    {
                        string at = $"{path}[{i++}]";
                        if (!Expect(c, k, JsonValueKind.Object, "a kill-chain-phase object", at))
                        {
                            continue;
                        }
                        // §2.11: both properties are required strings.
                        foreach (string req in (ReadOnlySpan<string>)["kill_chain_name", "phase_name"])
                        {
                            if (!k.TryGetProperty(req, out var kv))
                            {
                                c.Errors.Add(new StixError(ErrorCodes.RequiredProperty, $"{at}.{req}", ErrorCodes.Required(req)));
                            }
                            else
                            {
                                Expect(c, kv, JsonValueKind.String, "a string", $"{at}.{req}");
                            }
                        }
                    }
                }
                break;
            case Kind.Binary:
                if (Expect(c, v, JsonValueKind.String, "a base64 string", path) && !IsBase64(v.GetString()!))
                {
                    c.Errors.Add(new StixError(ErrorCodes.InvalidEncoding, path, ErrorCodes.Base64));
                }
                break;
            case Kind.Hex:
                if (Expect(c, v, JsonValueKind.String, "a hexadecimal string", path) && !IsHex(v.GetString()!))
                {
                    c.Errors.Add(new StixError(ErrorCodes.InvalidEncoding, path, ErrorCodes.Hex));
                }
                break;
            case Kind.List:
                ExpectList(c, v, path);
                break;
            case Kind.Any:
                break;
        }
    }

    private static void CheckVocabulary(ValidationContext c, PropertySpec p, string value, string path)
    {
        if (p.Vocabulary is null || !Vocabularies.All.TryGetValue(p.Vocabulary, out var values) || values.Contains(value))
        {
            return;
        }
        // §1.2.8 / §2.4 / §2.14: enumerations are closed, open vocabularies only suggest.
        if (Vocabularies.IsClosed(p.Vocabulary))
        {
            c.Errors.Add(new StixError(ErrorCodes.EnumValue, path, ErrorCodes.Enum(value, p.Vocabulary)));
        }
        else
        {
            c.Errors.Add(new StixError(ErrorCodes.VocabularyValue, path, ErrorCodes.Vocabulary(value, p.Vocabulary), Severity.Warning));
        }
    }

    private static void CheckHashes(ValidationContext c, JsonElement h, string path)
    {
        if (!Expect(c, h, JsonValueKind.Object, "a hashes dictionary", path))
        {
            return;
        }
        foreach (var entry in h.EnumerateObject())
        {
            string at = $"{path}.{entry.Name}";
            if (!Expect(c, entry.Value, JsonValueKind.String, "a string", at))
            {
                continue;
            }
            // §2.7: keys SHOULD come from hash-algorithm-ov; the fixed-length ones must have the right digest.
            if (HashLengths.TryGetValue(entry.Name, out int length))
            {
                string s = entry.Value.GetString()!;
                if (s.Length != length || !IsHex(s))
                {
                    c.Errors.Add(new StixError(ErrorCodes.InvalidHash, at, ErrorCodes.Hash(entry.Name)));
                }
            }
            else if (!Vocabularies.All["hash-algorithm-ov"].Contains(entry.Name))
            {
                c.Errors.Add(new StixError(ErrorCodes.VocabularyValue, at, ErrorCodes.Vocabulary(entry.Name, "hash-algorithm-ov"), Severity.Warning));
            }
        }
    }

    private static void CheckIdentifier(ValidationContext c, JsonElement v, string path, FrozenSet<string>? allowed)
    {
        if (!Expect(c, v, JsonValueKind.String, "an identifier string", path))
        {
            return;
        }
        string s = v.GetString()!;
        if (!StixId.TryParse(s, out string? type, out _))
        {
            c.Errors.Add(new StixError(ErrorCodes.InvalidIdentifier, path, ErrorCodes.Identifier(s)));
        }
        else if (allowed is not null && !allowed.Contains(type) && TypeCatalog.Find(type) is not null)
        {
            // A reference to a custom type cannot be judged against the specification's list; only known types are.
            c.Errors.Add(new StixError(ErrorCodes.ReferenceType, path, ErrorCodes.RefType(s, allowed.Order(StringComparer.Ordinal))));
        }
    }

    private static string? RequiredString(ValidationContext c, string name)
    {
        if (!c.Object.TryGetProperty(name, out var v))
        {
            c.Add(ErrorCodes.RequiredProperty, name, ErrorCodes.Required(name));
            return null;
        }
        return Expect(c, v, JsonValueKind.String, "a string", c.At(name)) ? v.GetString() : null;
    }

    private static StixTimestamp? RequiredTimestamp(ValidationContext c, string name, bool millis)
    {
        string? s = RequiredString(c, name);
        if (s is null)
        {
            return null;
        }
        if (!StixTimestamp.TryParse(s, out var ts))
        {
            c.Add(ErrorCodes.InvalidTimestamp, name, ErrorCodes.Timestamp(s));
            return null;
        }
        if (millis && ts.Value.FractionDigits < 3)
        {
            // §3.2: "The minimum precision MUST be milliseconds".
            c.Add(ErrorCodes.TimestampPrecision, name, ErrorCodes.Millis(name));
        }
        return ts;
    }

    private static bool Expect(ValidationContext c, JsonElement v, JsonValueKind kind, string expected, string path)
    {
        if (v.ValueKind == kind)
        {
            return true;
        }
        c.Errors.Add(new StixError(ErrorCodes.WrongJsonType, path, ErrorCodes.JsonType(expected, Describe(v.ValueKind))));
        return false;
    }

    private static bool ExpectList(ValidationContext c, JsonElement v, string path)
    {
        if (!Expect(c, v, JsonValueKind.Array, "a list", path))
        {
            return false;
        }
        if (v.GetArrayLength() == 0)
        {
            // §2.12: "Lists MUST NOT be empty" where present.
            c.Errors.Add(new StixError(ErrorCodes.EmptyList, path, ErrorCodes.ListEmpty));
            return false;
        }
        return true;
    }

    private static void CheckDuplicates(ValidationContext c, List<(string Name, JsonElement Value)> members)
    {
        // Objects have a few dozen properties at most: comparing pairs costs less than building a hash set for each.
        for (int i = 1; i < members.Count; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (string.Equals(members[i].Name, members[j].Name, StringComparison.Ordinal))
                {
                    c.Add(ErrorCodes.DuplicateProperty, members[i].Name, ErrorCodes.Duplicate(members[i].Name));
                    break;
                }
            }
        }
    }

    /// <summary>§3.1 and §11.1: 3–250 characters of a–z, 0–9 and underscore, starting with a letter.</summary>
    internal static bool IsValidPropertyName(string name)
    {
        if (name.Length is < 3 or > 250 || !char.IsAsciiLetterLower(name[0]))
        {
            return false;
        }
        foreach (char ch in name)
        {
            if (!(char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch == '_'))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsHex(string s)
    {
        foreach (char ch in s)
        {
            if (!char.IsAsciiHexDigit(ch))
            {
                return false;
            }
        }
        return s.Length % 2 == 0;
    }

    private static bool IsBase64(string s)
    {
        byte[] buffer = new byte[(s.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(s, buffer, out _);
    }

    private static FrozenSet<string> Set(params string[] values) => values.ToFrozenSet(StringComparer.Ordinal);

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
