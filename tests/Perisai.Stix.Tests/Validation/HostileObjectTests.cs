using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Perisai.Stix.Identifiers;
using Perisai.Stix.Json;
using Perisai.Stix.Validation;

namespace Perisai.Stix.Tests.Validation;

/// <summary>
/// Whatever shape a member sends, validation reports findings and never throws: each generated object takes a real
/// type and then puts values of every JSON kind under the property names the validator looks at.
/// </summary>
public class HostileObjectTests
{
    private static readonly string[] Types = [.. TypeCatalog.Types.Keys, "x-custom-thing", "bundle", "", "A"];

    private static readonly string[] Names =
    [
        "id", "spec_version", "created", "modified", "revoked", "labels", "confidence", "lang", "external_references",
        "object_marking_refs", "granular_markings", "defanged", "extensions", "created_by_ref", "hashes", "name", "value",
        "kill_chain_phases", "is_family", "pattern", "valid_from", "valid_until", "object_refs", "source_ref", "target_ref",
        "payload_bin", "url", "definition_type", "definition", "number_observed", "first_observed", "last_observed",
        "latitude", "longitude", "precision", "region", "src_ref", "protocols", "is_multipart", "body", "body_multipart",
        "x_custom_ref", "x_custom_refs", "magic_number_hex", "opinion", "count", "extension_types", "contents", "selectors",
    ];

    private static Gen<JsonNode?> Value(int depth)
    {
        var leaves = Gen.OneOf(
            Gen.Constant<JsonNode?>(null),
            Gen.Elements<JsonNode?>(JsonValue.Create(true), JsonValue.Create(false)),
            Gen.Choose(-5, 1_000_000_001).Select(i => (JsonNode?)JsonValue.Create(i)),
            Gen.Elements("", "x", "2016-01-20T12:31:12.123Z", "2016-01-20T12:31:12Z", "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
                "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "tlp", "statement", "white", "MD5", "zz", "AAAA")
                .Select(s => (JsonNode?)JsonValue.Create(s)),
            Gen.Constant<JsonNode?>(JsonValue.Create(1.5e300)));
        if (depth <= 0)
        {
            return leaves;
        }
        var array = Value(depth - 1).ListOf().Select(items => (JsonNode?)new JsonArray([.. items.Select(i => i?.DeepClone())]));
        var obj = Gen.Elements(Names).SelectMany(n => Value(depth - 1).Select(v => (n, v))).ListOf()
            .Select(props =>
            {
                var o = new JsonObject();
                foreach (var (n, v) in props)
                {
                    o[n] = v?.DeepClone();
                }
                return (JsonNode?)o;
            });
        return Gen.Frequency((4, leaves), (1, array), (1, obj));
    }

    private static Arbitrary<string> Objects() => Arb.From(
        Gen.Elements(Types).SelectMany(type =>
            Gen.Elements(Names).SelectMany(n => Value(2).Select(v => (n, v))).ListOf().Select(props =>
            {
                var o = new JsonObject { ["type"] = type };
                foreach (var (n, v) in props)
                {
                    o[n] = v?.DeepClone();
                }
                return o.ToJsonString();
            })));

    [Fact]
    public void Validate_AnyShapeUnderKnownNames_ReportsWithoutThrowing()
    {
        Prop.ForAll(Objects(), json =>
        {
            using var doc = JsonDocument.Parse(json);
            var filled = StixNormalizer.FillScoId(doc.RootElement, Guid.NewGuid);
            var findings = StixValidator.Validate(filled);
            // Intake is the path a POST takes; it must hold too.
            using var envelope = StixDocument.Parse(System.Text.Encoding.UTF8.GetBytes($"{{\"objects\":[{json}]}}"));
            var intake = StixIntake.Check(envelope, Guid.NewGuid, StixValidationOptions.None);
            return findings.All(f => f.Path.StartsWith('$')) && intake.Total == 1;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(5000));
    }
}
