using System.Xml.Linq;

namespace MailerQ.Www.Host.Tests;

/// <summary>The dependency rule of the design card: Core ← Http/Auth/Smtp ← Host, Core ← Http/Auth ← Console ← Host; siblings never meet.</summary>
public sealed class ArchitectureTests
{
    private static readonly string Root = RepoRoot.Path;

    public static TheoryData<string, string[]> AllowedReferences => new()
    {
        { "src/Core/MailerQ.Www.Core.csproj", [] },
        { "src/Http/MailerQ.Www.Http.csproj", ["MailerQ.Www.Core"] },
        { "src/Auth/MailerQ.Www.Auth.csproj", ["MailerQ.Www.Core"] },
        { "src/Smtp/MailerQ.Www.Smtp.csproj", ["MailerQ.Www.Core"] },
        { "src/Console/MailerQ.Www.Console.csproj", ["MailerQ.Www.Core", "MailerQ.Www.Http", "MailerQ.Www.Auth"] },
    };

    [Theory]
    [MemberData(nameof(AllowedReferences))]
    public void Library_references_only_what_the_layering_allows(string project, string[] allowed)
    {
        var doc = XDocument.Load(System.IO.Path.Combine(Root, project));
        var refs = doc.Descendants("ProjectReference")
            .Select(e => System.IO.Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value))
            .ToArray();
        Assert.All(refs, r => Assert.Contains(r, allowed));
    }

    [Fact]
    public void Nothing_in_src_references_AspNetCore()
    {
        foreach (var file in Directory.EnumerateFiles(System.IO.Path.Combine(Root, "src"), "*.*", SearchOption.AllDirectories))
        {
            if (!(file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".csproj", StringComparison.Ordinal)) || file.Contains("/obj/", StringComparison.Ordinal))
                continue;
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("Microsoft.AspNetCore", text);
            Assert.DoesNotContain("Microsoft.NET.Sdk.Web", text);
        }
    }
}
