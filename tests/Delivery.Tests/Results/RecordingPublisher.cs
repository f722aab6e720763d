using System.Text.Json;
using MailerQ.Www.Smtp.Delivery;

namespace MailerQ.Www.Delivery.Tests.Results;

/// <summary>A stand-in for the queue back-end (a collaborator of the router): remembers every publish in order.</summary>
internal sealed class RecordingPublisher : IQueuePublisher
{
    public List<Published> Messages { get; } = [];

    public ValueTask PublishAsync(string queue, string id, ReadOnlyMemory<byte> json, ReadOnlyMemory<byte> mime, CancellationToken ct)
    {
        Messages.Add(new Published(queue, id, json.ToArray(), mime.ToArray()));
        return ValueTask.CompletedTask;
    }

    public IReadOnlyList<string> Queues => Messages.ConvertAll(m => m.Queue);

    public Published Single(string queue) => Assert.Single(Messages, m => m.Queue == queue);

    internal sealed record Published(string Queue, string Id, byte[] Json, byte[] Mime)
    {
        public JsonElement Root => JsonDocument.Parse(Json).RootElement;
    }
}
