using System.Text;
using Perisai.Stix.Json;
using Perisai.Stix.Validation;

namespace Perisai.Stix.Tests.Json;

public class StixDocumentTests
{
    [Theory]
    [InlineData("", ErrorCodes.MalformedJson)]
    [InlineData("{\"objects\":[", ErrorCodes.MalformedJson)]
    [InlineData("{\"type\":\"bundle\",}", ErrorCodes.MalformedJson)]
    [InlineData("[]", ErrorCodes.WrongTopLevel)]
    [InlineData("42", ErrorCodes.WrongTopLevel)]
    [InlineData("{\"objects\":\"no\"}", ErrorCodes.WrongJsonType)]
    public void Parse_BrokenDocument_GivesOneError(string text, string code)
    {
        using var doc = StixDocument.Parse(Encoding.UTF8.GetBytes(text));
        Assert.Equal(code, doc.Error?.Code);
        Assert.Empty(doc.Objects);
    }

    [Fact]
    public void Parse_HundredMegabytesOfNesting_StopsAtTheDepthLimit()
    {
        byte[] text = new byte[100 * 1024 * 1024];
        Array.Fill(text, (byte)'[');
        using var doc = StixDocument.Parse(text);
        Assert.Equal(ErrorCodes.TooDeep, doc.Error?.Code);
        Assert.Contains("64", doc.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Bundle_FindsItsObjectsWithPaths()
    {
        using var doc = StixDocument.Parse(Encoding.UTF8.GetBytes("""{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{"type":"x-a"},{"type":"x-b"}]}"""));
        Assert.Null(doc.Error);
        Assert.Equal(ContainerKind.Bundle, doc.Kind);
        Assert.Equal(2, doc.Objects.Count);
        Assert.Equal("$.objects[1]", doc.PathOf(1));
        Assert.Empty(StixDocument.ValidateBundle(doc.Document!.RootElement));
    }

    [Fact]
    public void Parse_EnvelopeWhereBundleRequired_IsWrongTopLevel()
    {
        using var doc = StixDocument.Parse(Encoding.UTF8.GetBytes("""{"objects":[]}"""), ContainerKind.Bundle);
        Assert.Equal(ErrorCodes.WrongTopLevel, doc.Error?.Code);
        Assert.Equal("The top-level value must be a STIX bundle.", doc.Error!.Message);
    }
}
