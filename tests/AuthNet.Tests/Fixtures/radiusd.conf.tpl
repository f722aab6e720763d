# Minimal private FreeRADIUS 3.x config: run `freeradius -X -d @DIR@` (foreground, debug log on stdout).
# Placeholders: @DIR@ (temp dir with log/ run/ radacct/ and a `users` file), @PORT@ (UDP), @SECRET@.
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = ${exec_prefix}/sbin
logdir = @DIR@/log
raddbdir = @DIR@
radacctdir = @DIR@/radacct
name = freeradius
confdir = ${raddbdir}
modconfdir = ${confdir}/mods-config
certdir = ${confdir}/certs
cadir = ${confdir}/certs
run_dir = @DIR@/run
db_dir = ${raddbdir}
libdir = /usr/lib/freeradius
pidfile = ${run_dir}/${name}.pid
correct_escapes = true
max_request_time = 30
cleanup_delay = 2
max_requests = 1024
hostname_lookups = no

log {
	destination = stdout
	colourise = no
	stripped_names = no
	auth = yes
	auth_badpass = no
	auth_goodpass = no
}

security {
	allow_core_dumps = no
	max_attributes = 200
	reject_delay = 0
	status_server = yes
}

thread pool {
	start_servers = 2
	max_servers = 4
	min_spare_servers = 1
	max_spare_servers = 3
	max_requests_per_server = 0
	auto_limit_acct = no
}

client tests {
	ipaddr = 127.0.0.1
	secret = @SECRET@
	shortname = tests
	# requests are checked for it in the debug log rather than refused here
	require_message_authenticator = no
}

modules {
	pap {
		normalise = yes
	}
	files {
		filename = @DIR@/users
	}
}

server default {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = @PORT@
	}
	authorize {
		files
		pap
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
	}
	# Like FreeRADIUS >= 3.2.5 (BlastRADIUS hardening), sign every reply with a Message-Authenticator,
	# so a client that requires one in replies (RFC 9765 style) is not failed by this older server.
	post-auth {
		update reply {
			Message-Authenticator := 0x00
		}
		# Added for the tests: sign Access-Challenge too (FreeRADIUS >= 3.2.5 signs every reply).
		Post-Auth-Type Challenge {
			update reply {
				Message-Authenticator := 0x00
			}
		}
		Post-Auth-Type REJECT {
			update reply {
				Message-Authenticator := 0x00
			}
		}
	}
}
