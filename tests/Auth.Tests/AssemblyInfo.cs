// The Auth tests use real Linux programs and accounts (PAM, mkpasswd, useradd, setsid).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
