using MailerQ.Www.Core.Diagnostics;

namespace MailerQ.Www.Core.Tests;

public sealed class ProductInfoTests
{
    [Fact]
    public void Version_is_semantic_without_build_metadata()
    {
        Assert.Matches(@"^\d+\.\d+\.\d+", ProductInfo.Version);
        Assert.DoesNotContain("+", ProductInfo.Version);
    }
}
