using System.Buffers.Binary;

namespace MailerQ.Www.Auth.Sessions;

/// <summary>A SHA-256 or HMAC-SHA-256 output as a dictionary key: four words, no array, no string.</summary>
internal readonly struct Digest256 : IEquatable<Digest256>
{
    private readonly ulong _a, _b, _c, _d;

    public Digest256(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != 32)
            throw new ArgumentException("a 32-byte hash is required", nameof(hash));
        _a = BinaryPrimitives.ReadUInt64LittleEndian(hash);
        _b = BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]);
        _c = BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]);
        _d = BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]);
    }

    public bool Equals(Digest256 other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is Digest256 other && Equals(other);

    // The input is already uniformly random; one word is a fine hash code.
    public override int GetHashCode() => (int)_a ^ (int)(_a >> 32);

    public static bool operator ==(Digest256 left, Digest256 right) => left.Equals(right);

    public static bool operator !=(Digest256 left, Digest256 right) => !left.Equals(right);
}
