# SPDX-License-Identifier: BSD-2-Clause
# harakatmpl.sh - the sending MTA: Haraka as haraka.sh installs and runs
# it, with the bounce templates its package ships
# (config/outbound.bounce_message, _html, _image) copied into its
# configuration, as an installation made from a copy of Haraka's config
# directory has them: the bounce then has From MAILER-DAEMON, Subject
# "failure notice", the text "Hi. This is the Haraka Mailer program ..."
# and an HTML part, around the same delivery-status part.  Without them
# (haraka.sh: what `haraka -i` makes) the text part is empty.
. "$LAB/servers/haraka.sh"
HARAKA_TEMPLATES=1
HARAKA_NAME=harakatmpl
