using MailerQ.Www.Core.Settings;
using Microsoft.Extensions.Time.Testing;

namespace MailerQ.Www.Delivery.Tests.Settings;

/// <summary>How changes reach <see cref="SettingsCache.Current"/>: at once after writes through it, on request, and every database-ttl.</summary>
public sealed class SettingsCacheTests : IDisposable
{
    private readonly TempDatabase _db = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_write_through_the_cache_is_in_the_snapshot_when_it_returns()
    {
        var store = await _db.OpenAsync(_time);
        await using var cache = await SettingsCache.StartAsync(store, TimeSpan.FromSeconds(600), _time);
        var before = cache.Current;
        SettingsSnapshot? announced = null;
        cache.Changed += s => announced = s;

        await cache.WriteAsync((s, ct) => s.AddPauseAsync(new Pause { Domain = "example.com" }, "alice", ct));

        Assert.NotNull(cache.Current.FindPause("192.0.2.1", "example.com", null, [], _time.GetUtcNow()));
        Assert.Null(before.FindPause("192.0.2.1", "example.com", null, [], _time.GetUtcNow()));
        Assert.True(cache.Current.Version > before.Version);
        Assert.Same(cache.Current, announced);
    }

    [Fact]
    public async Task Changes_made_behind_its_back_arrive_with_the_ttl_reload()
    {
        var store = await _db.OpenAsync(_time);
        await using var other = await _db.OpenAsync(_time);
        await using var cache = await SettingsCache.StartAsync(store, TimeSpan.FromSeconds(600), _time);
        var reloaded = new TaskCompletionSource<SettingsSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        cache.Changed += s => reloaded.TrySetResult(s);

        await other.AddSuppressionAsync(new Suppression { Type = SuppressionType.Domain, Value = "trap.example" }, "sql");
        Assert.Null(cache.Current.FindSuppression("a@trap.example"));
        _time.Advance(TimeSpan.FromSeconds(599));
        Assert.False(reloaded.Task.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        var next = await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(next.FindSuppression("a@trap.example"));
        Assert.Same(next, cache.Current);
    }

    [Fact]
    public async Task ReloadAsync_reads_the_database_now()
    {
        var store = await _db.OpenAsync(_time);
        await using var other = await _db.OpenAsync(_time);
        await using var cache = await SettingsCache.StartAsync(store, TimeSpan.Zero, _time);
        await other.AddPoolAsync(new IpPool("warm", null), "sql");
        await cache.ReloadAsync();
        Assert.Single(cache.Current.Data.Pools);
    }
}
