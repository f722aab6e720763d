using System.Reflection;
using System.Text.RegularExpressions;

namespace MailerQ.Www.Host.Tests.Api;

/// <summary>
/// The public surface of each library is what its PublicAPI.Shipped.txt + PublicAPI.Unshipped.txt say (issue 12): a
/// public type added or removed without updating the baseline fails here by reflection, even if someone turned the
/// analyzer (RS0016/RS0017) off.
/// </summary>
public sealed partial class PublicApiBaselineTests
{
    public static TheoryData<string, string> Libraries => new()
    {
        { "MailerQ.Www.Core", "src/Core" },
        { "MailerQ.Www.Http", "src/Http" },
        { "MailerQ.Www.Auth", "src/Auth" },
        { "MailerQ.Www.Smtp", "src/Smtp" },
        { "MailerQ.Www.Console", "src/Console" },
    };

    [Theory]
    [MemberData(nameof(Libraries))]
    public void Exported_types_are_exactly_the_types_of_the_api_baseline(string assembly, string folder)
    {
        var exported = Assembly.Load(assembly).GetExportedTypes().Select(Name).ToHashSet(StringComparer.Ordinal);
        var baseline = BaselineTypes(Path.Combine(RepoRoot.Path, folder));

        var added = exported.Except(baseline).Order(StringComparer.Ordinal).ToList();
        var removed = baseline.Except(exported).Order(StringComparer.Ordinal).ToList();
        Assert.True(added.Count == 0 && removed.Count == 0,
            $"{folder}: public types differ from PublicAPI.*.txt.\n  not in the baseline: {string.Join(", ", added)}\n  in the baseline but not public: {string.Join(", ", removed)}");
    }

    [Fact]
    public void Baseline_reader_sees_types_and_skips_members()
    {
        var lines = new[]
        {
            "#nullable enable",
            "MailerQ.Www.Core.Sessions.RecentSessions",
            "MailerQ.Www.Core.Sessions.RecentSessions.Count.get -> int",
            "MailerQ.Www.Core.Sessions.SmtpRejection.Auth = 5 -> MailerQ.Www.Core.Sessions.SmtpRejection",
            "*REMOVED*MailerQ.Www.Core.Old",
            "~MailerQ.Www.Core.Generic<T>",
        };
        Assert.Equal(["MailerQ.Www.Core.Generic", "MailerQ.Www.Core.Sessions.RecentSessions"], TypeLines(lines).Order(StringComparer.Ordinal));
    }

    /// <summary>The baseline's type lines: members carry <c>-></c>; generic arguments are dropped to compare with reflection.</summary>
    private static HashSet<string> BaselineTypes(string folder)
    {
        var lines = new List<string>();
        foreach (var file in new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" })
        {
            var path = Path.Combine(folder, file);
            Assert.True(File.Exists(path), $"{path} is missing");
            lines.AddRange(File.ReadAllLines(path));
        }
        return TypeLines(lines);
    }

    private static HashSet<string> TypeLines(IEnumerable<string> lines)
    {
        var types = new HashSet<string>(StringComparer.Ordinal);
        var removed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.Contains(" -> ", StringComparison.Ordinal)) continue;
            bool gone = line.StartsWith("*REMOVED*", StringComparison.Ordinal);
            if (gone) line = line["*REMOVED*".Length..];
            line = Generics().Replace(line.TrimStart('~'), "");
            (gone ? removed : types).Add(line);
        }
        types.ExceptWith(removed);
        return types;
    }

    /// <summary><c>Outer+Inner`1</c> → <c>Outer.Inner</c>, as the baseline writes it without the type parameters.</summary>
    private static string Name(Type type) => Arity().Replace(type.FullName!.Replace('+', '.'), "");

    [GeneratedRegex("<[^<>]*>")]
    private static partial Regex Generics();

    [GeneratedRegex("`[0-9]+")]
    private static partial Regex Arity();
}
