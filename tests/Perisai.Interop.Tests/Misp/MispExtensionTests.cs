using System.Text.Json;
using System.Text.Json.Nodes;
using Perisai.Interop.Misp;
using Perisai.Stix.Json;
using Perisai.Stix.Validation;

namespace Perisai.Interop.Tests.Misp;

/// <summary>What MISP conversion keeps travels under a published property extension (STIX 2.1 §7.3), not as x_misp_* properties.</summary>
public sealed class MispExtensionTests
{
    private static JsonElement Event() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "misp", "wannacry-event.json"))).RootElement;

    [Fact]
    public void Converted_objects_carry_no_x_misp_property_and_the_extension_they_use_is_defined_beside_them()
    {
        var stix = MispToStix.Convert(Event());
        Assert.DoesNotContain(stix.Objects, o => o.Any(p => p.Key.StartsWith("x_misp_", StringComparison.Ordinal)));
        var extended = stix.Objects.Where(o => o["extensions"]?[MispExtension.Id] is not null).ToList();
        Assert.NotEmpty(extended);
        Assert.All(extended, o => Assert.Equal("property-extension", o["extensions"]![MispExtension.Id]!["extension_type"]!.GetValue<string>()));
        var indicator = extended.First(o => o["type"]!.GetValue<string>() == "indicator");
        Assert.NotNull(indicator["extensions"]![MispExtension.Id]!["category"]);
        var definition = Assert.Single(stix.Objects, o => o["type"]!.GetValue<string>() == "extension-definition");
        Assert.Equal(MispExtension.Id, definition["id"]!.GetValue<string>());
        Assert.Contains(stix.Objects, o => o["id"]!.GetValue<string>() == MispExtension.PublisherId);

        // All of it passes the node's validator with no error and no warning about custom properties.
        using var doc = StixDocument.Parse(stix.ToBundle());
        var intake = StixIntake.Check(doc, Guid.NewGuid, Perisai.Patterning.PatternValidation.Options);
        Assert.Empty(intake.Failures.Select(f => f.Summary()));
        Assert.Equal(stix.Objects.Count, intake.Valid.Count);
    }

    [Fact]
    public void Both_forms_convert_back_to_the_same_MISP_event()
    {
        var stix = MispToStix.Convert(Event());
        var extended = JsonDocument.Parse(stix.ToBundle()).RootElement.GetProperty("objects").EnumerateArray().ToList();
        // The older form: the extension's properties as x_misp_* properties, and no definition.
        var flat = extended.Where(o => o.GetProperty("type").GetString() != "extension-definition")
            .Select(o => Flatten(JsonNode.Parse(o.GetRawText())!.AsObject())).ToList();
        Assert.Contains(flat, o => o.TryGetProperty("x_misp_category", out _));
        string a = StixToMisp.Convert(extended).Events.Single().ToJsonString();
        string b = StixToMisp.Convert(flat).Events.Single().ToJsonString();
        Assert.Equal(b, a);
        Assert.Contains("\"category\":\"Network activity\"", a, StringComparison.Ordinal);
    }

    [Fact]
    public void The_schema_defines_every_property_the_conversion_writes()
    {
        var schema = JsonDocument.Parse(MispExtension.Schema()).RootElement.GetProperty("properties");
        var written = MispToStix.Convert(Event()).Objects.Select(o => o["extensions"]?[MispExtension.Id]).OfType<JsonObject>().SelectMany(e => e.Select(p => p.Key)).Distinct();
        Assert.All(written, name => Assert.True(schema.TryGetProperty(name, out _), $"the schema does not define '{name}'"));
    }

    private static JsonElement Flatten(JsonObject o)
    {
        if (o["extensions"] is JsonObject ext && ext[MispExtension.Id] is JsonObject mine)
        {
            foreach (var (key, value) in mine.ToList())
            {
                if (key != "extension_type")
                {
                    o["x_misp_" + key] = value?.DeepClone();
                }
            }
            ext.Remove(MispExtension.Id);
            if (ext.Count == 0)
            {
                o.Remove("extensions");
            }
        }
        return JsonSerializer.SerializeToElement(o);
    }
}
