using System.Buffers.Binary;
using System.Text;

namespace MailerQ.Www.Http.Tests.WebSockets;

/// <summary>A frame as the server put it on the wire.</summary>
internal sealed record ServerFrame(bool Fin, int Rsv, int Opcode, bool Masked, byte[] Payload)
{
    public string Text => Encoding.UTF8.GetString(Payload);

    public int CloseCode => Payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(Payload) : 1005;

    public string CloseReason => Payload.Length > 2 ? Encoding.UTF8.GetString(Payload, 2, Payload.Length - 2) : "";

    public bool IsClose => Opcode == 0x8;

    public override string ToString() => $"op={Opcode} fin={Fin} len={Payload.Length} {(Opcode is 1 or 8 ? Text : "")}";
}
