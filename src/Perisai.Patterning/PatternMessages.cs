using System.Globalization;

namespace Perisai.Patterning;

/// <summary>
/// Every text the patterning library shows a person: the errors of the lexer, parser and analyzer (with the phrases
/// that say what was expected), and the matcher's complaints about observations. One place, so that tests can assert
/// them exactly and a translator finds them all.
/// </summary>
internal static class PatternMessages
{
    // Lexer
    public static string UnexpectedCharacter(string character) => $"unexpected character '{character}'";
    public const string UnclosedComment = "comment opened with '/*' is never closed with '*/'";
    public static string NoFractionDigits(string text) => $"'{text}' needs digits after the decimal point";
    public static string FloatOutOfRange(string text) => $"'{text}' is not a float the pattern can hold";
    public static string LeadingZeros(string text) => $"'{text}': an integer must not have leading zeros";
    public static string IntegerOutOfRange(string text) => $"'{text}' is outside the STIX integer range, -(2^53)+1 to 2^53-1";
    public const string TrailingBackslash = "a backslash at the end of the pattern escapes nothing";
    public static string NotAnEscape(char c) => $"'\\{c}' is not an escape: only \\' and \\\\ are (write \\\\ for a backslash)";
    public const string UnclosedString = "literal opened with ' is never closed";
    public static string NotHex(string body) => $"h'{body}' is not hex: it needs an even number of the digits 0-9 and a-f";
    public static string NotBase64(string body) => $"b'{body}' is not base64: groups of four of A-Z a-z 0-9 + /, padded with =";
    public static string NotTimestamp(string body) => $"t'{body}' is not a STIX timestamp such as t'2016-06-01T00:00:00Z' (UTC, 'Z' at the end)";

    // Parser
    public static string TooLong(int length, int max) => string.Create(CultureInfo.InvariantCulture, $"the pattern is {length:N0} characters long; the limit is {max:N0}");
    public const string EmptyPattern = "the pattern is empty; a pattern is at least one observation expression such as [file:name = 'x']";
    public static string EndsWhereExpected(string expected) => $"the pattern ends where {expected} was expected";
    public static string Expected(string expected, string found) => $"expected {expected}, found {found}";
    public static string TooDeep(int max) => $"brackets and parentheses are nested more than {max} deep";
    public static string TrailingInput(string found) => $"unexpected {found} after a complete observation expression; join observation expressions with AND, OR or FOLLOWEDBY";
    public static string UnquotedHyphen(string name) => $"property name {name} contains '-': quote it, as '{name}'";

    // What the parser expected, completing Expected and EndsWhereExpected.
    public static string ClosingParenthesis(int openedAt) => $"')' closing the '(' at {openedAt}";
    public static string ClosingBracket(int openedAt) => $"']' closing the '[' at {openedAt}";
    public const string ObservationStart = "'[' starting an observation expression, or '('";
    public const string SecondsAfterBrokenNumber = "SECONDS after WITHIN's number";
    public const string WithinNumber = "a number of seconds after WITHIN";
    public static string SecondsAfterWithin(string number) => $"SECONDS after WITHIN {number}";
    public const string TimesAfterBrokenNumber = "TIMES after REPEATS's number";
    public const string RepeatsNumber = "a whole number after REPEATS";
    public static string TimesAfterRepeats(string number) => $"TIMES after REPEATS {number}";
    public const string StartTimestamp = "a timestamp t'…' after START";
    public const string StopAfterBrokenTimestamp = "STOP after START's timestamp";
    public static string StopAfterStart(string timestamp) => $"STOP after START t'{timestamp}'";
    public const string StopTimestamp = "a timestamp t'…' after STOP";
    public const string ExistsAfterNot = "EXISTS after NOT (NOT goes after the object path in a comparison)";
    public static string OrderedConstant(string op) => $"a number, string, binary, hex or timestamp after '{op}' (booleans have no order)";
    public static string StringAfter(string op) => $"a string '…' after {op}";
    public const string ComparisonOperator = "a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET)";
    public const string ObjectPath = "an object path such as file:name";
    public static string ColonAfterType(string type) => $"':' after the object type '{type}'";
    public const string PropertyAfterColon = "a property name after ':'";
    public const string PropertyAfterDot = "a property name or quoted key after '.'";
    public const string ListIndex = "a list index or '*' inside '[ ]'";
    public const string BracketAfterIndex = "']' after the list index";
    public const string SetStart = "'(' starting the set after IN";
    public const string SetContinues = "',' or ')' in the set";
    public const string Constant = "a constant: a string '…', a number, true or false, b'…', h'…' or t'…'";

    // How the parser names what it found instead.
    public static string FoundName(string text) => $"'{text}'";
    public static string FoundString(string text) => $"the string '{text}'";
    public static string FoundNumber(string text) => $"the number {text}";
    public const string FoundBinary = "a binary literal";
    public const string FoundHex = "a hex literal";
    public const string FoundTimestamp = "a timestamp literal";

    // Analyzer
    public static string DuplicateQualifier(string qualifier) => $"a second {qualifier} qualifier on the same observation expression; group with parentheses to qualify an outer expression";
    public static string RepeatsNotPositive(long times) => $"REPEATS needs a positive number of times, not {times}";
    public static string WithinNotPositive(string seconds) => $"WITHIN needs a positive number of seconds, not {seconds}";
    public static string ObjectsAndRefs(bool emptyObjects) => emptyObjects
        ? "observed-data has an empty 'objects' beside 'object_refs', which STIX 2.1 §4.14 forbids (they are mutually exclusive): read from object_refs"
        : "observed-data has both 'objects' and 'object_refs', which STIX 2.1 §4.14 forbids (they are mutually exclusive): read from objects";
    public static string EmptyWindow(string start, string stop) => $"START t'{start}' is not before STOP t'{stop}': no observation time is >= START and < STOP";
    public static string MixedTypes(string left, string right) =>
        $"AND joins comparisons on {left} with one on {right}: inside one observation expression both sides must hold for the same object; use OR, or separate observation expressions ([…] AND […])";
    public static string InvalidObjectType(string type) => $"'{type}' is not a STIX object type: 3 to 250 lowercase letters, digits and single hyphens, starting with a letter, e.g. ipv4-addr";
    public static string InvalidRegex(string problem) => $"MATCHES needs a regular expression: {problem}";
    public static string InvalidNetwork(string op, string value) => $"{op} needs an IPv4 or IPv6 address or CIDR block such as '198.51.100.0/24', not '{value}'";
    public static string MixedSet(string first, string other) => $"the set mixes {first} and {other} values; every value of an IN set must be of one type";

    // Matcher: observations that cannot be read
    public const string NotAnObject = "not a JSON object";
    public const string NotObservedData = "not an observed-data object: its \"type\" must be \"observed-data\"";
    public const string LastBeforeFirst = "last_observed is earlier than first_observed";
    public const string BadNumberObserved = "number_observed must be an integer from 1 to 999,999,999";
    public const string ObjectsNotDictionary = "\"objects\" must be a dictionary of cyber-observable objects";
    public const string NoObjects = "neither \"objects\" nor \"object_refs\": there is nothing to match";
    public const string WrongDocument = "expected an observed-data object, a JSON array of them, or a STIX bundle";
    public const string NoObservedData = "the document holds no observed-data object";
    public static string BadTimestamp(string property) => $"{property} must be a STIX timestamp such as 2026-11-29T10:00:00Z";
}
