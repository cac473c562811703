// SPDX-License-Identifier: BSD-2-Clause
// app.js - the dashboard's pages (docs/dashboard.md).  Data comes from the
// JSON API (docs/api.md) with the session cookie; requests that write
// carry the session's CSRF token in X-CSRF-Token.
//
// Every string from the server may come from a stranger's bounce: it is
// only ever put into the page as text (textContent, text nodes, Chart.js
// labels drawn on a canvas), never as HTML and never as a URL.
'use strict';

(function () {
	const $ = (id) => document.getElementById(id);
	let session = null;	// {name, scope, csrf, expires}
	let reasonInfo = null;	// name -> {meaning, hard}
	const charts = {};
	window.bkCharts = charts;	// the browser test reads the drawn data

	// An element with attributes and children; strings become text nodes.
	function el(tag, attrs, ...kids) {
		const e = document.createElement(tag);
		for (const [k, v] of Object.entries(attrs || {})) {
			if (k === 'class')
				e.className = v;
			else if (k === 'text')
				e.textContent = v;
			else if (k.startsWith('on'))
				e.addEventListener(k.slice(2), v);
			else
				e.setAttribute(k, v);
		}
		for (const k of kids) {
			if (k === null || k === undefined)
				continue;
			e.append(typeof k === 'string' || typeof k === 'number' ? document.createTextNode(String(k)) : k);
		}
		return e;
	}
	function clear(node) {
		while (node.firstChild)
			node.removeChild(node.firstChild);
		return node;
	}
	function when(t) {
		if (!t)
			return '';
		const d = new Date(t * 1000);
		return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
	}
	function badge(text, cls) {
		return el('span', { class: 'badge ' + (cls || '') }, text);
	}

	// ---- the API ----
	class ApiError extends Error {
		constructor(status, body) {
			super((body && body.message) || ('HTTP ' + status));
			this.status = status;
			this.body = body;
		}
	}
	async function api(method, path, body, type) {
		const h = {};
		if (method !== 'GET' && method !== 'HEAD' && session)
			h['X-CSRF-Token'] = session.csrf;
		if (body !== undefined && body !== null)
			h['Content-Type'] = type || 'application/json';
		const r = await fetch(path, {
			method, headers: h, credentials: 'same-origin',
			body: body === undefined || body === null ? undefined
				: (typeof body === 'string' ? body : JSON.stringify(body)),
		});
		let js = null;
		const text = await r.text();
		try {
			js = text ? JSON.parse(text) : null;
		} catch (e) {
			js = null;
		}
		if (r.status === 401 && path !== '/session') {
			showSignin();
			throw new ApiError(401, js);
		}
		if (!r.ok)
			throw new ApiError(r.status, js);
		return js;
	}
	function problem(node, err, what) {
		clear(node);
		node.append(el('p', { class: 'error' },
			err.status === 404 ? what + ': not available on this server (' + err.message + ')'
				: what + ': ' + err.message));
	}

	async function reasons() {
		if (reasonInfo)
			return reasonInfo;
		reasonInfo = {};
		try {
			const js = await api('GET', '/v1/reasons');
			for (const r of js.reasons)
				reasonInfo[r.name] = r;
		} catch (e) {
			// the meanings are a help, not a need
		}
		return reasonInfo;
	}

	// ---- pages ----
	const pages = ['signin', 'overview', 'address', 'suppressions', 'paste'];
	function show(name) {
		for (const p of pages)
			$('page-' + p).hidden = p !== name;
		for (const a of document.querySelectorAll('nav a'))
			a.classList.toggle('active', a.dataset.page === name);
		document.body.dataset.page = name;
	}
	function showSignin() {
		session = null;
		$('nav').hidden = true;
		$('who').hidden = true;
		$('signin-error').hidden = new URLSearchParams(location.search).get('signin') !== 'failed';
		show('signin');
	}

	async function route() {
		if (!session)
			return;
		const h = location.hash.replace(/^#\/?/, '');
		const [name, query] = h.split('?');
		const params = new URLSearchParams(query || '');
		switch (name) {
		case 'address':
			show('address');
			if (params.get('q')) {
				$('address-q').value = params.get('q');
				await lookup(params.get('q'));
			}
			break;
		case 'suppressions':
			show('suppressions');
			await suppressions(false);
			break;
		case 'paste':
			show('paste');
			break;
		default:
			show('overview');
			await overview();
		}
		document.body.dataset.ready = name || 'overview';
	}

	// ---- overview ----
	function rangeBounds() {
		const p = $('range-preset').value;
		const now = Math.floor(Date.now() / 1000);
		if (p === 'custom') {
			const s = $('range-since').value, u = $('range-until').value;
			return {
				since: s ? Math.floor(Date.parse(s + 'T00:00:00Z') / 1000) : 0,
				until: u ? Math.floor(Date.parse(u + 'T00:00:00Z') / 1000) + 86400 : 0,
			};
		}
		const days = Number(p);
		return { since: days ? now - days * 86400 : 0, until: 0 };
	}
	function rangeQuery(extra) {
		const b = rangeBounds();
		const q = new URLSearchParams(extra || {});
		if (b.since)
			q.set('since', String(b.since));
		if (b.until)
			q.set('until', String(b.until));
		return q.toString();
	}
	function rowsOf(js) {
		return (js && (js.rows || js.suppressions || js.events || js.results || js.items)) || [];
	}
	const palette = ['#1f4e79', '#c0392b', '#d68910', '#1e8449', '#7d3c98', '#2e86c1',
		'#a04000', '#117864', '#b03a2e', '#5d6d7e', '#d4ac0d', '#6c3483'];
	function chart(id, config) {
		if (charts[id])
			charts[id].destroy();
		if (typeof Chart === 'undefined')
			return null;
		config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
		charts[id] = new Chart($(id), config);
		return charts[id];
	}
	function dayLabel(key) {
		// a day key is a date (YYYY-MM-DD) or seconds since the epoch
		if (/^\d+$/.test(String(key)))
			return new Date(Number(key) * 1000).toISOString().slice(0, 10);
		return String(key);
	}
	function topTable(id, rows, label) {
		const t = clear($(id));
		t.append(el('tr', {}, el('th', {}, label), el('th', { class: 'num' }, 'bounces'),
			el('th', { class: 'num' }, 'hard'), el('th', { class: 'num' }, 'addresses')));
		for (const r of rows.slice(0, 10))
			t.append(el('tr', {}, el('td', {}, String(r.key === '' ? '(none)' : r.key)),
				el('td', { class: 'num' }, String(r.events)),
				el('td', { class: 'num' }, String(r.hard)),
				el('td', { class: 'num' }, String(r.addresses ?? ''))));
		if (!rows.length)
			t.append(el('tr', {}, el('td', { colspan: '4', class: 'muted' }, 'nothing in this range')));
	}
	async function overview() {
		const status = $('overview-status');
		status.textContent = 'loading…';
		try {
			const [days, byReason, dest, prov, sender] = await Promise.all(
				['day', 'reason', 'destination', 'provider', 'senderdomain'].map(
					(by) => api('GET', '/v1/stats?' + rangeQuery({ by }))));
			const d = rowsOf(days).slice().sort((a, b) => String(a.key) < String(b.key) ? -1 : 1);
			chart('chart-days', {
				type: 'bar',
				data: {
					labels: d.map((r) => dayLabel(r.key)),
					datasets: [
						{ label: 'hard', data: d.map((r) => r.hard), backgroundColor: '#c0392b' },
						{ label: 'soft', data: d.map((r) => r.soft), backgroundColor: '#d68910' },
						{ label: 'sender side', data: d.map((r) => r.senderside || 0), backgroundColor: '#2e86c1' },
						{ label: 'complaint', data: d.map((r) => r.complaint || 0), backgroundColor: '#7d3c98' },
					],
				},
				options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
			});
			const rs = rowsOf(byReason);
			chart('chart-reasons', {
				type: 'doughnut',
				data: {
					labels: rs.map((r) => String(r.key)),
					datasets: [{ data: rs.map((r) => r.events), backgroundColor: rs.map((_, i) => palette[i % palette.length]) }],
				},
				options: { plugins: { legend: { position: 'right' } } },
			});
			await dayReasons(rs.slice(0, 6).map((r) => String(r.key)), d.map((r) => r.key));
			topTable('top-destination', rowsOf(dest), 'domain');
			topTable('top-provider', rowsOf(prov), 'provider');
			topTable('top-senderdomain', rowsOf(sender), 'sender domain');
			await newlySuppressed();
			const total = d.reduce((n, r) => n + (r.events || 0), 0);
			status.textContent = total + ' events in this range';
		} catch (e) {
			if (e.status === 401)
				return;
			status.textContent = '';
			status.append(el('span', { class: 'error' }, 'statistics: ' + e.message));
		}
	}
	// Bounces per day for each of the top reasons: the statistics have no
	// reason-by-day grouping, so the events of the range are counted here,
	// the latest EVENTS_CAP of them at most (the title says when capped).
	const EVENTS_CAP = 10000;
	async function dayReasons(top, dayKeys) {
		const counts = new Map(top.map((r) => [r, new Map()]));
		let cursor = null, seen = 0, capped = false;
		try {
			for (;;) {
				const q = { limit: '1000' };
				if (cursor)
					q.cursor = cursor;
				const js = await api('GET', '/v1/events?' + rangeQuery(q));
				for (const ev of rowsOf(js)) {
					const m = counts.get(String(ev.reason));
					if (m) {
						const day = new Date(ev.timestamp * 1000).toISOString().slice(0, 10);
						m.set(day, (m.get(day) || 0) + 1);
					}
				}
				seen += rowsOf(js).length;
				cursor = js.next;
				if (!cursor)
					break;
				if (seen >= EVENTS_CAP) {
					capped = true;
					break;
				}
			}
		} catch (e) {
			if (e.status === 401)
				throw e;
		}
		$('day-reasons-title').textContent = 'Bounces per day by reason' +
			(capped ? ' (the latest ' + seen + ' events)' : '');
		chart('chart-day-reasons', {
			type: 'bar',
			data: {
				labels: dayKeys.map(dayLabel),
				datasets: top.map((reason, i) => ({
					label: reason,
					data: dayKeys.map((k) => counts.get(reason).get(dayLabel(k)) || 0),
					backgroundColor: palette[i % palette.length],
				})),
			},
			options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
		});
	}
	async function newlySuppressed() {
		const t = clear($('new-suppressed'));
		let js;
		try {
			// the list is in address order: a page of the range's, newest first
			js = await api('GET', '/v1/suppressions?' + rangeQuery({ limit: '1000' }));
		} catch (e) {
			t.append(el('tr', {}, el('td', { class: 'muted' }, 'suppressions: ' + e.message)));
			return;
		}
		const rows = rowsOf(js).slice().sort((a, b) => (b.since || 0) - (a.since || 0));
		suppressionRows(t, rows.slice(0, 15), false);
	}

	// ---- address ----
	function explainBlock(ex, storedReason) {
		const box = el('div', { class: 'why' });
		if (!ex) {
			box.append(el('p', { class: 'muted' }, 'no explanation'));
			return box;
		}
		const d = ex.decided || {};
		const where = [d.table, d.row !== undefined ? 'row ' + d.row : null].filter(Boolean).join(', ');
		box.append(el('p', {}, 'Decided by the ', el('strong', {}, String(d.step || '?')), ' step',
			where ? ' (' + where + ')' : '', ': ', el('strong', {}, String(d.reason || '?'))));
		if (d.rule)
			box.append(el('p', {}, 'matched: ', el('code', {}, String(d.rule))));
		if (d.phrase)
			box.append(el('p', {}, 'phrase: ', el('code', {}, JSON.stringify(d.phrase))));
		if (d.code)
			box.append(el('p', {}, 'codes: ', el('code', {}, String(d.code))));
		if (d.why)
			box.append(el('p', {}, 'rule: ', String(d.why)));
		if (ex.decoder)
			box.append(el('p', { class: 'muted' }, 'decoder: ' + ex.decoder));
		if (Array.isArray(ex.rejected) && ex.rejected.length) {
			const ol = el('ol');
			for (const r of ex.rejected)
				ol.append(el('li', {}, String(r.step || ''), ' → ', String(r.reason || ''),
					r.why ? ' (turned down: ' + r.why + ')' : ''));
			box.append(el('p', {}, 'considered first and turned down:'), ol);
		}
		if (storedReason && d.reason && d.reason !== storedReason)
			box.append(el('p', { class: 'muted' }, 'The diagnostic text alone gives ' + d.reason +
				'; the stored reason ' + storedReason + ' came from the whole message (its status code, decoder or format).'));
		return box;
	}
	function meaning(reason) {
		const r = reasonInfo && reasonInfo[reason];
		return r ? r.meaning : '';
	}
	async function lookup(addr) {
		const out = clear($('address-out'));
		out.append(el('p', { class: 'muted' }, 'looking up…'));
		let js;
		try {
			await reasons();
			js = await api('GET', '/v1/addresses/' + encodeURIComponent(addr.trim()));
		} catch (e) {
			if (e.status !== 401)
				problem(out, e, 'lookup');
			return;
		}
		clear(out);
		const card = el('div', { class: 'card', id: 'address-card' });
		card.append(el('div', { class: 'verdict' },
			el('span', { class: 'big', id: 'address-name' }, js.address),
			badge(js.verdict, js.verdict),
			js.known ? null : el('span', { class: 'muted' }, 'no bounce stored for this address')));
		const facts = el('dl', { class: 'facts' });
		const fact = (k, v) => {
			if (v !== null && v !== undefined && v !== '')
				facts.append(el('dt', {}, k), el('dd', {}, String(v)));
		};
		fact('reason', js.reason ? js.reason + (meaning(js.reason) ? ' — ' + meaning(js.reason) : '') : '');
		fact('status', js.status);
		fact('basis', js.basis);
		fact('since', when(js.since));
		fact('until', when(js.until));
		fact('first seen', when(js.first));
		fact('last seen', when(js.last));
		if (js.counts)
			fact('counts', Object.entries(js.counts).map(([k, v]) => k + ' ' + v).join(', '));
		fact('decided by', js.cause);
		card.append(facts);
		out.append(card);
		const evs = js.events || [];
		out.append(el('h3', {}, 'History (' + evs.length + (evs.length === 1 ? ' event)' : ' events)')));
		for (const ev of evs.slice().reverse())
			out.append(await eventCard(ev));
	}
	async function eventCard(ev) {
		const c = el('div', { class: 'card event' });
		c.append(el('header', {}, el('strong', {}, when(ev.timestamp)),
			badge(ev.reason, ev.hardbounce ? 'hard' : 'soft'),
			el('span', {}, ev.hardbounce ? 'hard bounce' : 'soft'),
			el('span', { class: 'muted' }, [ev.deliverystatus, ev.replycode, ev.action].filter(Boolean).join(' · '))));
		const facts = el('dl', { class: 'facts' });
		const fact = (k, v) => {
			if (v)
				facts.append(el('dt', {}, k), el('dd', {}, String(v)));
		};
		fact('recipient', ev.recipient);
		fact('sender', ev.addresser);
		fact('subject', ev.subject);
		fact('remote host', ev.rhost);
		fact('decoded by', ev.decodedby);
		fact('channel', ev.channel);
		c.append(facts);
		if (ev.diagnosticcode)
			c.append(el('div', { class: 'diag' }, ev.diagnosticcode));
		c.append(el('p', {}, el('strong', {}, ev.reason), ': ', meaning(ev.reason) || ''));
		// The store keeps the record, not its explanation: the diagnostic
		// text is classified again (POST /v1/classify) to show why.
		if (ev.diagnosticcode) {
			try {
				const v = await api('POST', '/v1/classify', { text: ev.diagnosticcode });
				c.append(explainBlock(v.explain, ev.reason));
			} catch (e) {
				c.append(el('p', { class: 'muted' }, 'explanation: ' + e.message));
			}
		}
		return c;
	}

	// ---- suppressions ----
	let suppCursor = null;
	function suppressionRows(t, rows, actions) {
		t.append(el('tr', {}, el('th', {}, 'address'), el('th', {}, 'verdict'), el('th', {}, 'class'),
			el('th', {}, 'reason'), el('th', {}, 'since'), el('th', {}, 'until'),
			actions ? el('th', {}, '') : null));
		for (const r of rows) {
			const addr = String(r.address);
			const look = el('button', { class: 'secondary', type: 'button',
				onclick: () => { location.hash = '#/address?q=' + encodeURIComponent(addr); } }, 'History');
			const tools = el('td', { class: 'nw' }, look);
			if (actions && session && session.scope === 'write') {
				const b = el('button', { class: 'danger', type: 'button',
					onclick: () => unsuppress(addr, r.scope || '', r.basis === 'complaint') }, 'Unsuppress');
				b.dataset.address = addr;	// a property, not markup
				tools.append(' ', b);
			}
			t.append(el('tr', {}, el('td', {}, addr, r.scope ? el('span', { class: 'muted' }, ' (scope ' + r.scope + ')') : null),
				el('td', {}, badge(String(r.verdict || 'suppressed'), String(r.verdict || 'suppressed'))),
				el('td', { class: 'nw' }, String(r.basis || '')), el('td', { class: 'nw' }, String(r.reason || '')),
				el('td', { class: 'nw' }, when(r.since)), el('td', { class: 'nw' }, when(r.until)), actions ? tools : null));
		}
		if (!rows.length)
			t.append(el('tr', {}, el('td', { colspan: '7', class: 'muted' }, 'no suppressed address')));
	}
	function suppQuery(cursor) {
		const q = new URLSearchParams({ limit: '50' });
		const dom = $('supp-q').value.trim().replace(/^@/, '');
		if (dom)
			q.set('domain', dom);
		if ($('supp-reason').value)
			q.set('reason', $('supp-reason').value);
		if ($('supp-class').value)
			q.set('class', $('supp-class').value);
		if (cursor)
			q.set('cursor', cursor);
		return q;
	}
	async function suppressions(more) {
		const t = $('supp-list');
		const status = $('supp-status');
		let js;
		try {
			js = await api('GET', '/v1/suppressions?' + suppQuery(more ? suppCursor : null).toString());
		} catch (e) {
			if (e.status !== 401) {
				clear(t);
				status.textContent = 'suppressions: ' + e.message;
			}
			return;
		}
		status.textContent = '';
		if (!more)
			clear(t);
		const rows = rowsOf(js);
		if (more) {
			const tmp = el('table');
			suppressionRows(tmp, rows, true);
			for (const tr of Array.from(tmp.querySelectorAll('tr')).slice(1))
				t.append(tr);
		} else {
			suppressionRows(t, rows, true);
		}
		suppCursor = js.next || null;
		$('supp-more').hidden = !suppCursor;
		const q = suppQuery(null);
		q.delete('limit');
		q.set('format', 'csv');
		$('export-csv').setAttribute('href', '/v1/suppressions?' + q.toString());
		q.set('format', 'ndjson');
		$('export-ndjson').setAttribute('href', '/v1/suppressions?' + q.toString());
	}
	async function unsuppress(addr, scope, complaint) {
		const why = 'unsuppressed from the dashboard by ' + session.name;
		if (complaint && !window.confirm(addr + ' complained (a feedback report). Unsuppress anyway?'))
			return;
		try {
			await api('DELETE', '/v1/suppressions/' + encodeURIComponent(addr),
				{ reason: why, scope, force: !!complaint });
			$('supp-status').textContent = addr + ' unsuppressed';
		} catch (e) {
			$('supp-status').textContent = 'unsuppress ' + addr + ': ' + e.message;
			return;
		}
		await suppressions(false);
		$('supp-status').textContent = addr + ' unsuppressed';
	}
	async function suppress(ev) {
		ev.preventDefault();
		const addr = $('supp-add-address').value.trim(), reason = $('supp-add-reason').value.trim();
		try {
			await api('PUT', '/v1/suppressions/' + encodeURIComponent(addr), { reason });
		} catch (e) {
			$('supp-status').textContent = 'suppress ' + addr + ': ' + e.message;
			return;
		}
		$('supp-add-address').value = '';
		await suppressions(false);
		$('supp-status').textContent = addr + ' suppressed';
	}

	// ---- paste ----
	async function paste(ev) {
		ev.preventDefault();
		const out = clear($('paste-out'));
		out.append(el('p', { class: 'muted' }, 'decoding…'));
		let recs;
		const store = $('paste-store').checked;
		try {
			await reasons();
			recs = await api('POST', '/v1/messages?explain=1' + (store ? '&store=1' : ''),
				$('paste-text').value, 'message/rfc822');
		} catch (e) {
			if (e.status !== 401)
				problem(out, e, 'decode');
			return;
		}
		clear(out);
		recs = Array.isArray(recs) ? recs : (recs && recs.records) || [];
		out.append(el('h3', { id: 'paste-count' }, recs.length + (recs.length === 1 ? ' record' : ' records') +
			(store ? ', stored' : '')));
		for (const r of recs) {
			const c = el('div', { class: 'card event record' });
			c.append(el('header', {}, el('strong', { class: 'recipient' }, String(r.recipient || '')),
				badge(String(r.reason), r.hardbounce ? 'hard' : 'soft'),
				el('span', { class: 'muted' }, [r.deliverystatus, r.replycode, r.action].filter(Boolean).join(' · '))));
			const facts = el('dl', { class: 'facts' });
			for (const k of ['addresser', 'subject', 'rhost', 'smtpcommand', 'decodedby', 'timestamp'])
				if (r[k])
					facts.append(el('dt', {}, k), el('dd', {}, k === 'timestamp' ? when(r[k]) : String(r[k])));
			c.append(facts);
			if (r.diagnosticcode)
				c.append(el('div', { class: 'diag' }, String(r.diagnosticcode)));
			c.append(el('p', {}, el('strong', {}, String(r.reason)), ': ', meaning(r.reason) || ''));
			c.append(explainBlock(r.explain, null));
			out.append(c);
		}
	}

	// ---- start ----
	async function start() {
		try {
			session = await api('GET', '/session');
		} catch (e) {
			showSignin();
			document.body.dataset.ready = 'signin';
			return;
		}
		$('nav').hidden = false;
		$('who').hidden = false;
		$('who-name').textContent = session.name;
		$('who-scope').textContent = session.scope;
		$('signout-csrf').value = session.csrf;
		for (const w of document.querySelectorAll('.write-only'))
			w.hidden = session.scope !== 'write';
		for (const name of Object.keys(await reasons()))
			$('supp-reason').append(el('option', { value: name }, name));
		if (location.search)
			history.replaceState(null, '', '/' + location.hash);
		await route();
	}
	document.addEventListener('DOMContentLoaded', () => {
		$('range').addEventListener('submit', (e) => { e.preventDefault(); overview(); });
		$('range-preset').addEventListener('change', () => {
			const custom = $('range-preset').value === 'custom';
			$('range-since').hidden = !custom;
			$('range-until').hidden = !custom;
			if (!custom)
				overview();
		});
		$('address-form').addEventListener('submit', (e) => {
			e.preventDefault();
			const q = $('address-q').value.trim();
			if (location.hash === '#/address?q=' + encodeURIComponent(q))
				lookup(q);
			else
				location.hash = '#/address?q=' + encodeURIComponent(q);
		});
		$('supp-search').addEventListener('submit', (e) => {
			e.preventDefault();
			const q = $('supp-q').value.trim();
			if (q.includes('@') && !q.startsWith('@'))	// an address: its page
				location.hash = '#/address?q=' + encodeURIComponent(q);
			else
				suppressions(false);
		});
		$('supp-more').addEventListener('click', () => suppressions(true));
		$('supp-add').addEventListener('submit', suppress);
		$('paste-form').addEventListener('submit', paste);
		window.addEventListener('hashchange', () => { delete document.body.dataset.ready; route(); });
		start();
	});
})();
