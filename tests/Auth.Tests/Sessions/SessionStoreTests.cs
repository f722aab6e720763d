using System.Reflection;
using MailerQ.Www.Auth.Sessions;
using Microsoft.Extensions.Time.Testing;

namespace MailerQ.Www.Auth.Tests.Sessions;

public sealed class SessionStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Ids_and_csrf_tokens_are_256_random_bits_in_base64url()
    {
        var store = new SessionStore(_time);
        var ids = new HashSet<string>();
        for (int i = 0; i < 200; i++)
        {
            var s = store.Create("alice", "file");
            Assert.Matches("^[A-Za-z0-9_-]{43}$", s.SessionId);
            Assert.Matches("^[A-Za-z0-9_-]{43}$", s.Csrf);
            Assert.NotEqual(s.SessionId, s.Csrf);
            Assert.True(ids.Add(s.SessionId));
            Assert.True(ids.Add(s.Csrf));
        }
    }

    [Fact]
    public void Finds_the_session_by_its_id_only()
    {
        var store = new SessionStore(_time);
        var created = store.Create("alice", "ldap");
        Assert.True(store.TryGet(created.SessionId, out var session));
        Assert.Equal(("alice", "ldap", created.Csrf), (session.User, session.Scheme, session.Csrf));
        Assert.False(store.TryGet(created.Csrf, out _));
        Assert.False(store.TryGet(created.SessionId[..42] + (created.SessionId[42] == 'A' ? 'B' : 'A'), out _));
        Assert.False(store.TryGet(null, out _));
        Assert.False(store.TryGet("", out _));
        Assert.False(store.TryGet(created.SessionId + "=", out _));
    }

    [Fact]
    public void Idle_sessions_end_after_thirty_minutes()
    {
        var store = new SessionStore(_time);
        var created = store.Create("alice", "file");
        _time.Advance(TimeSpan.FromMinutes(29));
        Assert.True(store.TryGet(created.SessionId, out _));
        _time.Advance(TimeSpan.FromMinutes(29));
        Assert.True(store.TryGet(created.SessionId, out _));
        _time.Advance(TimeSpan.FromMinutes(30));
        Assert.False(store.TryGet(created.SessionId, out _));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Active_sessions_still_end_twelve_hours_after_login()
    {
        var store = new SessionStore(_time);
        var created = store.Create("alice", "file");
        for (int i = 0; i < 47; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(15));
            Assert.True(store.TryGet(created.SessionId, out _), $"after {(i + 1) * 15} min");
        }
        _time.Advance(TimeSpan.FromMinutes(15));
        Assert.False(store.TryGet(created.SessionId, out _));
    }

    [Fact]
    public void Logout_removes_one_session_and_reload_removes_all()
    {
        var store = new SessionStore(_time);
        var a = store.Create("alice", "file");
        var b = store.Create("bob", "file");
        var c = store.Create("carol", "file");
        Assert.True(store.Remove(a.SessionId));
        Assert.False(store.Remove(a.SessionId));
        Assert.False(store.TryGet(a.SessionId, out _));
        Assert.True(store.TryGet(b.SessionId, out _));
        store.RemoveAll();
        Assert.False(store.TryGet(b.SessionId, out _));
        Assert.False(store.TryGet(c.SessionId, out _));
    }

    [Fact]
    public void Csrf_comparison_needs_the_exact_token()
    {
        var store = new SessionStore(_time);
        var created = store.Create("alice", "file");
        Assert.True(created.Session.CsrfMatches(created.Csrf));
        Assert.False(created.Session.CsrfMatches(null));
        Assert.False(created.Session.CsrfMatches(""));
        Assert.False(created.Session.CsrfMatches(created.Csrf.ToUpperInvariant() == created.Csrf ? created.Csrf.ToLowerInvariant() : created.Csrf.ToUpperInvariant()));
        Assert.False(created.Session.CsrfMatches(created.Csrf[..^1]));
        Assert.False(created.Session.CsrfMatches(created.SessionId));
    }

    [Fact]
    public void The_table_holds_no_session_id_in_clear()
    {
        var store = new SessionStore(_time);
        var created = store.Create("alice", "file");
        // What a memory dump of the table would show: every string reachable from the store's fields.
        var strings = new List<string>();
        Collect(store, strings, new HashSet<object>(ReferenceEqualityComparer.Instance), 0);
        Assert.Contains("alice", strings);
        Assert.Contains(created.Csrf, strings);
        Assert.DoesNotContain(created.SessionId, strings);
    }

    [Fact]
    public void Expired_sessions_are_swept_and_the_table_is_bounded()
    {
        var store = new SessionStore(_time);
        for (int i = 0; i < 100; i++) store.Create("u" + i, "file");
        _time.Advance(TimeSpan.FromMinutes(31));
        store.Create("late", "file");
        Assert.Equal(1, store.Count);

        for (int i = 0; i < SessionStore.MaxSessions + 10; i++) store.Create("flood", "file");
        Assert.Equal(SessionStore.MaxSessions, store.Count);
    }

    private static void Collect(object? value, List<string> strings, HashSet<object> seen, int depth)
    {
        if (value is null || depth > 8 || !seen.Add(value)) return;
        if (value is string s) { strings.Add(s); return; }
        var type = value.GetType();
        if (type.IsPrimitive || type.IsEnum || value is Type || value is Delegate || value is TimeProvider) return;
        if (value is System.Collections.IEnumerable items)
        {
            foreach (var item in items) Collect(item, strings, seen, depth + 1);
        }
        for (var t = type; t is not null; t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsPointer || field.FieldType.IsByRef || field.FieldType.IsByRefLike) continue;
                Collect(field.GetValue(value), strings, seen, depth + 1);
            }
        }
    }
}
