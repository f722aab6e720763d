namespace MailerQ.Www.Core.Tls;

/// <summary>Why <see cref="PemCertificateLoader"/> could not produce a certificate context.</summary>
internal enum PemLoadFailure
{
    None,
    FileMissing,
    FileUnreadable,
    FileTooLarge,
    NoCertificate,
    InvalidCertificate,
    NoPrivateKey,
    MultiplePrivateKeys,
    EncryptedPrivateKey,
    InvalidPrivateKey,
    UnsupportedKeyAlgorithm,
    KeyMismatch,
    ContextFailed,
}
