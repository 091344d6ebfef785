using System.Text.Json.Nodes;

namespace Perisai.Patterning.Tests.Syntax;

/// <summary>A tree's JSON form without offsets: two trees with equal shapes are the same tree, wherever they were written.</summary>
internal static class TreeShape
{
    public static string Of(Perisai.Patterning.Syntax.Pattern pattern)
    {
        var node = JsonNode.Parse(PatternExplainer.ToJson(pattern))!;
        Strip(node);
        return node.ToJsonString();
    }

    private static void Strip(JsonNode node)
    {
        var stack = new Stack<JsonNode>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case JsonObject o:
                    o.Remove("offset");
                    foreach (var child in o.Select(kv => kv.Value).OfType<JsonNode>())
                    {
                        stack.Push(child);
                    }
                    break;
                case JsonArray a:
                    foreach (var child in a.OfType<JsonNode>())
                    {
                        stack.Push(child);
                    }
                    break;
            }
        }
    }
}
