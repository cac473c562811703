/* SPDX-License-Identifier: BSD-2-Clause */
/* phrases_zh.c - Chinese phrases per reason, simplified and traditional:
 * Chinese providers (QQ/Tencent, NetEase 163/126, Sina, Aliyun, Coremail
 * hosts) and localised Exchange NDRs (zh-CN, zh-TW).
 *
 * Sources (wording only; a tag after a row names its source):
 *   [host]    emailhost.com.cn, the Chinese labels it gives the bounces of
 *             its hosts (https://www.emailhost.com.cn/service.html?
 *             article_category=25&brd=1): "收件人不存在", "收件容量满",
 *             "域名不存在", "邮件过大", "发信数超限制";
 *   [163]     NetEase's table of its reply codes ("退信代码说明", quoted at
 *             https://biecuoliao.com/pa/MBRrwEM.html): "发信IP位于一个或多个
 *             RBL里", "该IP不在网易允许的发送地址列表里", "被临时禁止连接",
 *             "邮件正文带有垃圾邮件特征", "发信数量超过限制";
 *   [yfs8]    a Chinese guide to bounces (https://yfs8.com/view/962889.html):
 *             "对方用户不存在", "对方邮箱空间不够";
 *   [ms]      Exchange zh-CN wording ("找不到你输入的电子邮件地址"); from
 *             memory, no sample;
 *   [starter] the rows this table started with;
 *   [-]       the plain Chinese wording of the reason; no sample at hand.
 *
 * Chinese has no case.  Each simplified row has its traditional twin where
 * the characters differ (郵/邮, 戶/户, 滿/满, 帳號/账号, ...).
 */
#include "phrase.h"

static const struct bk_phrase rows[] = {
	/* ---- blocked ---- */
	BK_PH(BLOCKED, "位于一个或多个rbl"),	/* [163] */
	BK_PH(BLOCKED, "不在网易允许的发送地址列表"),	/* [163] */
	BK_PH(BLOCKED, "被临时禁止连接"),	/* [163] */
	BK_PH(BLOCKED, "ip", "黑名单"),	/* [-] "发信IP在黑名单中" */
	BK_PH(BLOCKED, "ip", "黑名單"),	/* [-] */

	/* ---- expired ---- */
	BK_PH(EXPIRED, "投递超时"),	/* [-] */
	BK_PH(EXPIRED, "投遞逾時"),	/* [-] */

	/* ---- hostunknown ---- */
	BK_PH(HOSTUNKNOWN, "域名不存在"),	/* [host] */
	BK_PH(HOSTUNKNOWN, "網域不存在"),	/* [-] */

	/* ---- mailboxfull ---- */
	BK_PH(MAILBOXFULL, "邮箱已满"),	/* [starter] */
	BK_PH(MAILBOXFULL, "郵箱已滿"),	/* [starter] */
	BK_PH(MAILBOXFULL, "信箱已满"),	/* [-] "收件人信箱已满" */
	BK_PH(MAILBOXFULL, "信箱已滿"),	/* [-] */
	BK_PH(MAILBOXFULL, "邮箱空间不足"),	/* [-] */
	BK_PH(MAILBOXFULL, "郵箱空間不足"),	/* [-] */
	BK_PH(MAILBOXFULL, "邮箱空间不够"),	/* [yfs8] */
	BK_PH(MAILBOXFULL, "信箱空间不足"),	/* [-] */
	BK_PH(MAILBOXFULL, "容量已满"),	/* [-] "邮箱容量已满" */
	BK_PH(MAILBOXFULL, "容量已滿"),	/* [-] */
	BK_PH(MAILBOXFULL, "收件容量满"),	/* [host] */
	BK_PH(MAILBOXFULL, "超出配额"),	/* [-] */
	BK_PH(MAILBOXFULL, "超过配额"),	/* [-] */

	/* ---- mesgtoobig ---- */
	BK_PH(MESGTOOBIG, "邮件过大"),	/* [host] */
	BK_PH(MESGTOOBIG, "郵件過大"),	/* [-] */
	BK_PH(MESGTOOBIG, "邮件太大"),	/* [-] */
	BK_PH(MESGTOOBIG, "郵件太大"),	/* [-] */
	BK_PH(MESGTOOBIG, "邮件大小超过"),	/* [-] */
	BK_PH(MESGTOOBIG, "郵件大小超過"),	/* [-] */
	BK_PH(MESGTOOBIG, "邮件大小限制"),	/* [-] "超出邮件大小限制" */
	BK_PH(MESGTOOBIG, "郵件大小限制"),	/* [-] */

	/* ---- norelaying ---- */
	BK_PH(NORELAYING, "不允许中继"),	/* [-] */
	BK_PH(NORELAYING, "不允許中繼"),	/* [-] */
	BK_PH(NORELAYING, "拒绝中继"),	/* [-] */

	/* ---- policyviolation ---- */
	BK_PH(POLICYVIOLATION, "违反安全策略"),	/* [-] */
	BK_PH(POLICYVIOLATION, "違反安全策略"),	/* [-] */

	/* ---- spamdetected ---- */
	BK_PH(SPAMDETECTED, "垃圾邮件特征"),	/* [163] */
	BK_PH(SPAMDETECTED, "被判定为垃圾邮件"),	/* [-] */
	BK_PH(SPAMDETECTED, "被判定為垃圾郵件"),	/* [-] */
	BK_PH(SPAMDETECTED, "被识别为垃圾邮件"),	/* [-] */
	BK_PH(SPAMDETECTED, "疑似垃圾邮件"),	/* [-] */
	BK_PH(SPAMDETECTED, "疑似垃圾郵件"),	/* [-] */

	/* ---- speeding ---- */
	BK_PH(SPEEDING, "发信数超限制"),	/* [host] */
	BK_PH(SPEEDING, "发信数量超过限制"),	/* [163] */

	/* ---- suspend ---- */
	BK_PH(SUSPEND, "已被冻结"),	/* [-] "该账号已被冻结" */
	BK_PH(SUSPEND, "已被凍結"),	/* [-] */
	BK_PH(SUSPEND, "邮箱已停用"),	/* [-] */
	BK_PH(SUSPEND, "账号已停用"),	/* [-] */
	BK_PH(SUSPEND, "帐号已停用"),	/* [-] */
	BK_PH(SUSPEND, "帳號已停用"),	/* [-] */

	/* ---- systemerror ---- */
	BK_PH(SYSTEMERROR, "系统错误"),	/* [-] */
	BK_PH(SYSTEMERROR, "系統錯誤"),	/* [-] */
	BK_PH(SYSTEMERROR, "内部错误"),	/* [-] */
	BK_PH(SYSTEMERROR, "內部錯誤"),	/* [-] */

	/* ---- userunknown ---- */
	BK_PH(USERUNKNOWN, "用户不存在"),	/* [starter] [yfs8] */
	BK_PH(USERUNKNOWN, "用戶不存在"),	/* [starter] */
	BK_PH(USERUNKNOWN, "收件人不存在"),	/* [host] */
	BK_PH(USERUNKNOWN, "收件人地址不存在"),	/* [-] */
	BK_PH(USERUNKNOWN, "邮箱不存在"),	/* [-] */
	BK_PH(USERUNKNOWN, "郵箱不存在"),	/* [-] */
	BK_PH(USERUNKNOWN, "邮箱地址不存在"),	/* [-] */
	BK_PH(USERUNKNOWN, "郵箱地址不存在"),	/* [-] */
	BK_PH(USERUNKNOWN, "账号不存在"),	/* [-] */
	BK_PH(USERUNKNOWN, "帐号不存在"),	/* [-] */
	BK_PH(USERUNKNOWN, "帳號不存在"),	/* [-] */
	BK_PH(USERUNKNOWN, "账户不存在"),	/* [-] */
	BK_PH(USERUNKNOWN, "帳戶不存在"),	/* [-] */
	BK_PH(USERUNKNOWN, "无此用户"),	/* [-] */
	BK_PH(USERUNKNOWN, "無此用戶"),	/* [-] */
	BK_PH(USERUNKNOWN, "找不到你输入的电子邮件地址"),	/* [ms] */
	BK_PH(USERUNKNOWN, "找不到您输入的电子邮件地址"),	/* [ms] */
	BK_PH(USERUNKNOWN, "找不到您輸入的電子郵件地址"),	/* [ms] zh-TW */
};

const struct bk_phrase_table bk_phrases_zh = { "zh", rows, BK_NELEM(rows) };
