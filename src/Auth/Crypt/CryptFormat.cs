namespace MailerQ.Www.Auth.Crypt;

/// <summary>The crypt(5) hash formats a <c>file://</c> password file may hold.</summary>
internal enum CryptFormat : byte
{
    /// <summary><c>$y$</c> yescrypt: Debian 12's default (<c>mkpasswd</c>, <c>passwd</c>).</summary>
    Yescrypt,
    /// <summary><c>$6$</c> SHA-512 crypt (Drepper), optional <c>rounds=</c>.</summary>
    Sha512,
    /// <summary><c>$5$</c> SHA-256 crypt (Drepper), optional <c>rounds=</c>.</summary>
    Sha256,
    /// <summary><c>$2a$</c>, <c>$2b$</c>, <c>$2y$</c> bcrypt (<c>htpasswd -B</c> writes <c>$2y$</c>).</summary>
    Bcrypt,
    /// <summary><c>$1$</c> MD5 crypt (Kamp): weak, accepted with a warning.</summary>
    Md5,
    /// <summary><c>$apr1$</c> Apache's MD5 crypt (<c>htpasswd -m</c>): weak, accepted with a warning.</summary>
    Apr1,
    /// <summary>A hash starting with <c>!</c> or <c>*</c>: a disabled account, as in <c>/etc/shadow</c>.</summary>
    Disabled,
}
