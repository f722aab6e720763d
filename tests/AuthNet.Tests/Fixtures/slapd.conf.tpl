# Private slapd for tests (slapd.conf style, mdb backend), copied from the shared recipe with TLS added.
# Placeholders: @DIR@ (temp dir holding db/, ca.pem, server.pem, server.key), @ROOTPW@ (from slappasswd).
include         /etc/ldap/schema/core.schema
include         /etc/ldap/schema/cosine.schema
include         /etc/ldap/schema/nis.schema
include         /etc/ldap/schema/inetorgperson.schema
pidfile         @DIR@/slapd.pid
argsfile        @DIR@/slapd.args
modulepath      /usr/lib/ldap
moduleload      back_mdb
# For ldaps:// and StartTLS; certificates made by the test with the openssl binary.
TLSCACertificateFile    @DIR@/ca.pem
TLSCertificateFile      @DIR@/server.pem
TLSCertificateKeyFile   @DIR@/server.key
# The trap the product must not fall into: with bind_anon_dn a simple bind with a DN and an EMPTY
# password is an "unauthenticated" bind that SUCCEEDS (as anonymous). A client that does not refuse
# empty passwords before binding therefore accepts `alice` + "" here.
allow           bind_anon_dn
database        mdb
maxsize         16777216
suffix          "dc=example,dc=org"
rootdn          "cn=admin,dc=example,dc=org"
rootpw          @ROOTPW@
directory       @DIR@/db
index           objectClass eq
index           uid eq
access to attrs=userPassword
        by anonymous auth
        by self read
        by * none
access to *
        by * read
