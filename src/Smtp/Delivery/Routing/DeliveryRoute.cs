using MailerQ.Www.Smtp.Client;

namespace MailerQ.Www.Smtp.Delivery.Routing;

/// <summary>A route's domain-level throttle state plus its idle connections, reused newest first.</summary>
internal sealed class DeliveryRoute : ThrottleState
{
    private readonly Lock _gate = new();
    private readonly List<PooledConnection> _idle = [];
    private int _handling;
    private Destination? _destination;

    public DeliveryRoute(RouteKey key) => Key = key;

    public RouteKey Key { get; }

    /// <summary>Messages on this route right now: waiting for a throttle or a connection, or being sent (console).</summary>
    public int Handling => Volatile.Read(ref _handling);

    /// <summary>The hops the last message on this route resolved to (console: which remote IPs a domain goes to).</summary>
    public Destination? Destination => Volatile.Read(ref _destination);

    /// <summary>A message starts on this route; one interlocked add and a reference write, no lock.</summary>
    public void Enter(Destination destination)
    {
        Volatile.Write(ref _destination, destination);
        Interlocked.Increment(ref _handling);
    }

    public void Leave() => Interlocked.Decrement(ref _handling);

    public int IdleCount { get { lock (_gate) return _idle.Count; } }

    /// <summary>The newest usable idle connection; unusable ones met on the way go to <paramref name="dead"/> for the caller to close.</summary>
    public PooledConnection? TakeIdle(List<PooledConnection> dead)
    {
        lock (_gate)
        {
            while (_idle.Count > 0)
            {
                var last = _idle[^1];
                _idle.RemoveAt(_idle.Count - 1);
                if (last.Connection.IsUsable)
                    return last;
                dead.Add(last);
            }
            return null;
        }
    }

    /// <summary>The longest-idle connection, taken out of the pool (to free a slot for another route), or null.</summary>
    public PooledConnection? TakeOldestIdle()
    {
        lock (_gate)
        {
            if (_idle.Count == 0)
                return null;
            var oldest = _idle[0];
            _idle.RemoveAt(0);
            return oldest;
        }
    }

    public void ReturnIdle(PooledConnection connection)
    {
        lock (_gate)
            _idle.Add(connection);
        Released.Fire();
    }

    /// <summary>Removes idle connections unused since before <paramref name="cutoff"/> (or all, with <see cref="DateTimeOffset.MaxValue"/>).</summary>
    public List<PooledConnection> TakeExpired(DateTimeOffset cutoff)
    {
        var expired = new List<PooledConnection>();
        lock (_gate)
        {
            for (int i = _idle.Count - 1; i >= 0; i--)
            {
                if (_idle[i].Connection.LastUsed <= cutoff || !_idle[i].Connection.IsUsable)
                {
                    expired.Add(_idle[i]);
                    _idle.RemoveAt(i);
                }
            }
        }
        return expired;
    }
}

/// <summary>An open client connection with the remote-IP throttle it counts against.</summary>
internal sealed class PooledConnection(SmtpClientConnection connection, ThrottleState remote)
{
    public SmtpClientConnection Connection { get; } = connection;
    public ThrottleState Remote { get; } = remote;
}
