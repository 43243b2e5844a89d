#!/usr/bin/env bash
# Writes the LDIF of the LDAP benchmark's directory to stdout:
#   bash bench/ldap/make_directory.sh USERS GROUPS BIG_GROUPS BIG_SIZE
# USERS people under ou=people (uid, cn, sn, givenName, mail, title, departmentNumber,
# employeeType); GROUPS groupOfNames under ou=groups. Person i is a member of groups
# i % GROUPS and (i * 7 + 3) % GROUPS; groups 0 .. BIG_GROUPS-1 also hold the first
# BIG_SIZE people (the "few with 20,000 members"). Every person carries the memberOf
# values the memberof overlay would have written: slapadd bypasses overlays. Deterministic.
set -euo pipefail
users=${1:-100000} groups=${2:-1000} big=${3:-5} big_size=${4:-20000}
suffix="dc=example,dc=test"
awk -v users="$users" -v groups="$groups" -v big="$big" -v big_size="$big_size" -v suffix="$suffix" '
function gdn(g) { return "cn=group-" g ",ou=groups," suffix }
BEGIN {
  print "dn: " suffix; print "objectClass: dcObject"; print "objectClass: organization"
  print "o: example"; print "dc: example"; print ""
  print "dn: cn=reader," suffix; print "objectClass: simpleSecurityObject"
  print "objectClass: organizationalRole"; print "cn: reader"; print "userPassword: reader-secret"; print ""
  print "dn: ou=people," suffix; print "objectClass: organizationalUnit"; print "ou: people"; print ""
  print "dn: ou=groups," suffix; print "objectClass: organizationalUnit"; print "ou: groups"; print ""
  split("Recruiter Sourcer Coordinator Engineer Manager Designer Analyst Director", titles, " ")
  for (i = 0; i < users; i++) {
    g1 = i % groups; g2 = (i * 7 + 3) % groups
    print "dn: uid=user" i ",ou=people," suffix
    print "objectClass: inetOrgPerson"
    print "uid: user" i; print "cn: User " i; print "sn: Number" i; print "givenName: User"
    print "mail: user" i "@acme.example"
    print "title: " titles[i % 8 + 1]
    print "departmentNumber: dept-" (i % 50)
    print "employeeType: " (i % 20 == 0 ? "Contractor" : "Employee")
    print "memberOf: " gdn(g1)
    if (g2 != g1) print "memberOf: " gdn(g2)
    for (b = 0; b < big; b++) if (i < big_size && b != g1 && b != g2) print "memberOf: " gdn(b)
    print ""
  }
  for (g = 0; g < groups; g++) {
    print "dn: " gdn(g); print "objectClass: groupOfNames"; print "cn: group-" g
    n = 0
    for (i = g; i < users; i += groups) { print "member: uid=user" i ",ou=people," suffix; seen[i] = 1; n++ }
    # (i * 7 + 3) % groups == g  <=>  i == k (mod groups) for one k in 0 .. groups-1
    for (k = 0; k < groups; k++) if ((k * 7 + 3) % groups == g) break
    for (i = k; i < users; i += groups) if (!(i in seen)) { print "member: uid=user" i ",ou=people," suffix; n++ }
    if (g < big) for (i = 0; i < big_size; i++) if (!(i in seen) && (i * 7 + 3) % groups != g) print "member: uid=user" i ",ou=people," suffix
    delete seen
    print ""
  }
}'
