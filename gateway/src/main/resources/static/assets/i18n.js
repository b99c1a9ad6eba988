// The page's words: Chinese by default, English on request; the choice is kept in the browser.
const KEY = 'supervision.lang';

const zh = {
  appName: '督查督办系统', loading: '正在加载…', login: '登录', logout: '退出', loginPrompt: '请使用统一身份认证登录后办理督查督办事项。',
  loginHint: '督查室、承办单位、责任领导和纪检监察人员均从这里登录。', loginFailed: '登录未成功，请重新登录；如仍不成功，请联系系统管理员。', loginUnavailable: '统一身份认证服务暂时不可用，暂不能登录，请稍后再试。已登录的用户可继续使用。', offline: '无法连接系统，请稍后再试。',
  unavailable: '系统暂时不可用（{0}）。', sessionExpired: '登录已过期，请重新登录。', language: 'English',
  role_supervisor: '督查室', role_unit: '承办单位', role_leader: '责任领导', role_inspector: '纪检监察', role_admin: '系统管理员',
  nav_dashboard: '工作台', nav_tasks: '督办事项', nav_new: '立项交办', nav_import: '导入工作计划', nav_audit: '审计查询',
  nav_calendar: '工作日历', calendarTitle: '工作日历', calendarHolidays: '节假日', calendarWorkdays: '调休上班日', calendarSource: '依据', calendarVersion: '版本',
  calendarNone: '无', calendarMissing: '{0} 年的日历尚未发布：暂按周一至周五为工作日计算。', calendarEdit: '修改本年日历',
  calendarEditHelp: '每行一个日期（如 2026-10-01）。保存后，按工作日计算的时限将按新日历重新计算，各单位的提醒随之调整。',
  calendarWrongDates: '不是本年的日期：{0}', calendarSave: '保存日历', calendarSaved: '已保存（版本 {0}）。',
  nav_notifications: '消息', nav_myTasks: '本单位事项', nav_leaderTasks: '我负责的事项', ledger: '导出督办台账',
  light_RED: '红灯', light_YELLOW: '黄灯', light_GREEN: '绿灯', light_NONE: '—',
  status_ACTIVE: '推进中', status_SUSPENDED: '已暂停', status_COMPLETED: '已办结', status_CANCELLED: '已撤销',
  state_ASSIGNED: '待签收', state_ACKNOWLEDGED: '办理中', state_COMPLETION_REQUESTED: '待审核', state_COMPLETED: '已办结', state_CLOSED: '已关闭',
  role_LEAD: '牵头单位', role_CO: '配合单位', priority_HIGH: '高', priority_NORMAL: '中', priority_LOW: '低',
  source_PARTY_CONGRESS_REPORT: '党代会报告', source_LEADERSHIP_INSTRUCTION: '领导批示', source_MEETING_DECISION: '会议决定', source_PROPOSAL: '建议提案',
  cycle_NONE: '不定期', cycle_WEEKLY: '每周', cycle_HALF_MONTHLY: '每半月', cycle_MONTHLY: '每月', cycle_QUARTERLY: '每季度',
  cat_urban_economy: '都市经济与现代产业', cat_reform_opening: '深化改革扩大开放', cat_livelihood: '改善人民生活品质',
  cat_city_quality: '宜居宜业宜游城市', cat_rural_revitalization: '乡村振兴', cat_party_building: '党的全面领导',
  dashTitle: '督查工作台', dashLights: '红黄绿灯', dashOverdue: '已逾期事项', dashNoOverdue: '没有逾期事项。',
  dashByUnit: '各单位办理情况', dashByCategory: '各类别办理情况', dashChart: '完成率与按时办结率', dashPeriod: '统计期间：今年',
  dashAll: '全部事项', dashEmpty: '还没有督办事项。请“立项交办”或“导入工作计划”。',
  colUnit: '单位', colCategory: '类别', colAssigned: '交办', colCompleted: '办结', colOnTime: '按时办结', colOverdue: '逾期', colRate: '完成率',
  colOnTimeRate: '按时办结率', colTitle: '事项', colLead: '牵头单位', colDeadline: '办结时限', colLight: '灯', colStatus: '状态', colProgress: '进度',
  filterStatus: '状态', filterCategory: '类别', filterLight: '灯色', filterUnit: '单位', filterText: '关键词', filterAny: '全部',
  search: '查询', reset: '重置', prev: '上一页', next: '下一页', pageOf: '第 {0} / {1} 页，共 {2} 项',
  noTasks: '没有符合条件的事项。可以调整筛选条件后再查询。', noTasksUnit: '本单位暂无督办事项。督查室交办后会在这里出现，并通过消息提醒您。',
  noTasksLeader: '暂无由您负责的督办事项。', escalations: '逾期升级，请您督促', newTitle: '立项交办',
  fTitle: '事项名称', fDescription: '工作要求', fCategory: '类别', fPriority: '优先级', fSource: '来源', fSourceRef: '来源文号',
  fLead: '牵头单位', fCo: '配合单位（可多选）', fDeadline: '办结时限', fLeader: '责任领导（用户名）', fCycle: '报送周期', fDueDay: '报送日',
  submit: '提交', cancel: '取消', created: '已立项交办。', required: '必填。', tooLong: '不能超过 {0} 个字。',
  deadlinePast: '办结时限不能早于今天。', leadIsCo: '牵头单位不能同时作为配合单位。', badUser: '请填写用户名，例如 leader-liu。',
  dueDayRange: '报送日应在 {0} 到 {1} 之间。', fixErrors: '请先改正标出的问题。', problemTitle: '未能完成：',
  detailTitle: '事项详情', notFound: '没有找到这个事项。它可能不存在，或不属于您的单位。', backToList: '返回事项列表',
  assignments: '交办单位', reports: '进度反馈', urges: '催办记录', extensions: '延期申请', reviews: '审核记录', evaluation: '评价',
  actions: '可办理的操作', noActions: '当前没有需要您办理的操作。', deadlineOriginal: '原定 {0}',
  a_ACKNOWLEDGE: '签收', a_REPORT_PROGRESS: '反馈进度', a_REQUEST_EXTENSION: '申请延期', a_REQUEST_COMPLETION: '申请办结',
  a_URGE: '催办', a_DECIDE_EXTENSION: '审批延期', a_REVIEW: '审核办结', a_EVALUATE: '评价', a_CANCEL: '撤销', a_SUSPEND: '暂停', a_RESUME: '恢复',
  a_CHANGE_DEADLINE: '调整时限', a_DECOMPOSE: '分解',
  reportText: '进展情况', attachment: '附件', percent: '完成百分比', noChange: '无变化（快速反馈）', attach: '上传佐证材料', attached: '已上传：{0}',
  uploading: '正在上传…', reason: '理由', proposedDeadline: '申请延至', summary: '办结情况说明', message: '催办意见',
  approve: '同意', reject: '不同意', returnBack: '退回', approveCompletion: '审核通过', timeliness: '时效评分', quality: '质量评分',
  comment: '评语', forUnit: '交办单位', done: '已完成操作。', changedMeanwhile: '该事项刚被他人更新，已重新加载，请确认后再操作。',
  importTitle: '导入工作计划', importHelp: '选择 .yaml 或 .xlsx 格式的工作计划（不超过 2 MB）。全部校验通过才会导入。',
  importFile: '计划文件', importing: '正在导入，请稍候…', importDone: '已导入“{0}”：共 {1} 项，新建 {2} 项。', importNone: '该计划此前已导入，没有新建事项。',
  importErrors: '计划中有以下问题，未导入任何事项：', rowItem: '条目', rowProblem: '问题',
  auditTitle: '审计查询', auditTask: '事项编号', auditActor: '操作人', auditByActor: '查询此人的全部操作', auditRecords: '审计记录', auditHelp: '按事项编号或单位查询操作记录：谁、何时、从哪里、做了什么。点击操作人可查询其全部操作。',
  auditAction: '操作类型', auditFrom: '起始日期', auditTo: '截止日期', auditPeriodHint: '按单位导出证据包需同时选定起止日期。', exportUnitEvidence: '下载本单位该期间的证据包',
  signatureOk: '检查点签名有效（密钥 {0}）。', signatureBad: '检查点签名无效！', signatureNA: '此浏览器不能校验签名，请用离线校验工具。',
  auditEmpty: '没有找到记录。请确认事项编号；新操作的记录可能需要几秒钟才出现。', timeline: '时间线', exportEvidence: '下载证据包',
  verifyProof: '校验', proofOk: '已校验：该记录包含在签名检查点（共 {0} 条）中。', proofBad: '校验失败：记录与检查点不一致！', proofNA: '暂不能校验',
  colTime: '时间', colActor: '操作人', colAction: '操作', colFrom: '来源地址', colSeq: '序号',
  notifTitle: '消息', notifEmpty: '暂无消息。有新交办、催办或临期提醒时会显示在这里。', markRead: '标为已读', unreadN: '{0} 条未读',
  openTask: '查看事项', error_400: '提交的内容有误。', error_401: '登录已过期，请重新登录。', error_403: '您的角色无权办理此操作。',
  error_404: '没有找到。', error_409: '当前状态下不能办理此操作。', error_412: '该事项刚被他人更新，请刷新后再试。',
  error_413: '文件太大。', error_429: '操作太频繁，请稍后再试。', error_5xx: '系统暂时出错，请稍后再试。',
  field_title: '事项名称', field_description: '工作要求', field_category: '类别', field_leadUnit: '牵头单位', field_coUnits: '配合单位',
  field_deadline: '办结时限', field_responsibleLeader: '责任领导', field_text: '进展情况', field_percent: '完成百分比',
  field_reason: '理由', field_summary: '办结情况说明', field_message: '催办意见', field_proposedDeadline: '申请延至',
  field_timeliness: '时效评分', field_quality: '质量评分', field_comment: '评语',
  msg_required: '不能为空', msg_size: '长度超出限制', msg_pattern: '格式不正确', msg_range: '超出允许范围',
  etype_registered: '立项', etype_assigned: '交办', etype_acknowledged: '签收', etype_progress: '进度反馈', etype_urged: '催办',
  etype_extension: '延期', etype_completion: '申请办结', etype_reviewed: '审核', etype_evaluated: '评价', etype_deadline: '调整时限',
  etype_cancelled: '撤销', etype_suspended: '暂停', etype_resumed: '恢复', etype_login: '登录', etype_loginFailed: '登录失败', etype_logout: '退出', etype_denied: '拒绝访问', etype_limited: '请求过多被限流', etype_notification: '发出通知',
  subTasks: '子事项', acknowledgedAt: '签收时间', decomposeTitle: '分解子事项', afterParent: '子事项的办结时限不能晚于上级事项（{0}）。', parent: '上级事项', leader: '责任领导', createdBy: '立项人', source: '来源', cycle: '报送周期', milestones: '节点目标',
};

const en = {
  appName: 'Task Supervision', loading: 'Loading…', login: 'Sign in', logout: 'Sign out', loginPrompt: 'Sign in with your government account to work on supervised tasks.',
  loginHint: 'The supervision office, units, responsible leaders and inspectors all sign in here.', loginFailed: 'Signing in did not succeed; please sign in again, or ask the system administrator if it keeps failing.', loginUnavailable: 'The sign-in service is not available right now; please try again later. Users who are signed in can keep working.', offline: 'Cannot reach the system; please try again later.',
  unavailable: 'The system is unavailable ({0}).', sessionExpired: 'Your session has expired; please sign in again.', language: '中文',
  role_supervisor: 'Supervision office', role_unit: 'Unit', role_leader: 'Responsible leader', role_inspector: 'Inspector', role_admin: 'Administrator',
  nav_dashboard: 'Dashboard', nav_tasks: 'Tasks', nav_new: 'Register task', nav_import: 'Import work plan', nav_audit: 'Audit',
  nav_calendar: 'Calendar', calendarTitle: 'Working-day calendar', calendarHolidays: 'Holidays', calendarWorkdays: 'Adjusted working days', calendarSource: 'Source', calendarVersion: 'version',
  calendarNone: 'none', calendarMissing: 'No calendar for {0} yet: Monday to Friday count as working days.', calendarEdit: 'Correct this year\'s calendar',
  calendarEditHelp: 'One date per line (e.g. 2026-10-01). Deadlines given in working days are recounted on the new calendar, and reminders follow.',
  calendarWrongDates: 'Not dates of this year: {0}', calendarSave: 'Save calendar', calendarSaved: 'Saved (version {0}).',
  nav_notifications: 'Messages', nav_myTasks: 'Our tasks', nav_leaderTasks: 'My tasks', ledger: 'Export ledger',
  light_RED: 'Red', light_YELLOW: 'Yellow', light_GREEN: 'Green', light_NONE: '—',
  status_ACTIVE: 'Active', status_SUSPENDED: 'Suspended', status_COMPLETED: 'Completed', status_CANCELLED: 'Cancelled',
  state_ASSIGNED: 'To acknowledge', state_ACKNOWLEDGED: 'In progress', state_COMPLETION_REQUESTED: 'Awaiting review', state_COMPLETED: 'Completed', state_CLOSED: 'Closed',
  role_LEAD: 'Lead unit', role_CO: 'Co-unit', priority_HIGH: 'High', priority_NORMAL: 'Normal', priority_LOW: 'Low',
  source_PARTY_CONGRESS_REPORT: 'Party congress report', source_LEADERSHIP_INSTRUCTION: 'Leadership instruction', source_MEETING_DECISION: 'Meeting decision', source_PROPOSAL: 'Proposal',
  cycle_NONE: 'None', cycle_WEEKLY: 'Weekly', cycle_HALF_MONTHLY: 'Half-monthly', cycle_MONTHLY: 'Monthly', cycle_QUARTERLY: 'Quarterly',
  cat_urban_economy: 'Urban economy', cat_reform_opening: 'Reform and opening', cat_livelihood: 'Livelihood',
  cat_city_quality: 'City quality', cat_rural_revitalization: 'Rural revitalization', cat_party_building: 'Party building',
  dashTitle: 'Supervision dashboard', dashLights: 'Traffic lights', dashOverdue: 'Overdue tasks', dashNoOverdue: 'Nothing is overdue.',
  dashByUnit: 'By unit', dashByCategory: 'By category', dashChart: 'Completion and on-time rates', dashPeriod: 'Period: this year',
  dashAll: 'All tasks', dashEmpty: 'No tasks yet. Register a task or import a work plan.',
  colUnit: 'Unit', colCategory: 'Category', colAssigned: 'Assigned', colCompleted: 'Completed', colOnTime: 'On time', colOverdue: 'Overdue', colRate: 'Completion',
  colOnTimeRate: 'On-time rate', colTitle: 'Task', colLead: 'Lead unit', colDeadline: 'Deadline', colLight: 'Light', colStatus: 'Status', colProgress: 'Progress',
  filterStatus: 'Status', filterCategory: 'Category', filterLight: 'Light', filterUnit: 'Unit', filterText: 'Text', filterAny: 'Any',
  search: 'Search', reset: 'Reset', prev: 'Previous', next: 'Next', pageOf: 'Page {0} of {1}, {2} tasks',
  noTasks: 'No task matches. Change the filters and search again.', noTasksUnit: 'Your unit has no tasks yet. When the office assigns one it appears here and you get a message.',
  noTasksLeader: 'No tasks name you as responsible leader.', escalations: 'Overdue and escalated to you', newTitle: 'Register and assign a task',
  fTitle: 'Title', fDescription: 'Requirements', fCategory: 'Category', fPriority: 'Priority', fSource: 'Source', fSourceRef: 'Reference',
  fLead: 'Lead unit', fCo: 'Co-units', fDeadline: 'Deadline', fLeader: 'Responsible leader (user name)', fCycle: 'Reporting cycle', fDueDay: 'Due day',
  submit: 'Submit', cancel: 'Cancel', created: 'Task registered and assigned.', required: 'Required.', tooLong: 'At most {0} characters.',
  deadlinePast: 'The deadline cannot be in the past.', leadIsCo: 'The lead unit cannot also be a co-unit.', badUser: 'Give a user name such as leader-liu.',
  dueDayRange: 'The due day is from {0} to {1}.', fixErrors: 'Please correct the marked fields first.', problemTitle: 'Not done:',
  detailTitle: 'Task', notFound: 'Task not found. It may not exist, or it is not assigned to your unit.', backToList: 'Back to the list',
  assignments: 'Assignments', reports: 'Progress reports', urges: 'Urges', extensions: 'Extension requests', reviews: 'Reviews', evaluation: 'Evaluation',
  actions: 'What you can do', noActions: 'Nothing for you to do right now.', deadlineOriginal: 'originally {0}',
  a_ACKNOWLEDGE: 'Acknowledge', a_REPORT_PROGRESS: 'Report progress', a_REQUEST_EXTENSION: 'Request extension', a_REQUEST_COMPLETION: 'Request completion',
  a_URGE: 'Urge', a_DECIDE_EXTENSION: 'Decide extension', a_REVIEW: 'Review completion', a_EVALUATE: 'Evaluate', a_CANCEL: 'Cancel task', a_SUSPEND: 'Suspend', a_RESUME: 'Resume',
  a_CHANGE_DEADLINE: 'Change deadline', a_DECOMPOSE: 'Decompose',
  reportText: 'Progress', attachment: 'Attachment ', percent: 'Percent done', noChange: 'No change (quick report)', attach: 'Upload evidence', attached: 'Uploaded: {0}',
  uploading: 'Uploading…', reason: 'Reason', proposedDeadline: 'New deadline', summary: 'Completion summary', message: 'Message',
  approve: 'Approve', reject: 'Reject', returnBack: 'Return', approveCompletion: 'Approve', timeliness: 'Timeliness', quality: 'Quality',
  comment: 'Comment', forUnit: 'Assignment', done: 'Done.', changedMeanwhile: 'Someone else just changed this task; it was reloaded. Check and try again.',
  importTitle: 'Import a work plan', importHelp: 'Choose a work plan as .yaml or .xlsx (at most 2 MB). Nothing is imported unless every row is valid.',
  importFile: 'Plan file', importing: 'Importing, please wait…', importDone: 'Imported "{0}": {1} tasks, {2} new.', importNone: 'This plan was imported before; nothing new.',
  importErrors: 'The plan has these problems; nothing was imported:', rowItem: 'Item', rowProblem: 'Problem',
  auditTitle: 'Audit search', auditTask: 'Task id', auditActor: 'Actor', auditByActor: 'Everything this person did', auditRecords: 'Audit records', auditHelp: 'Search the trail by task id or unit: who did what, when, from where. Click an actor to see everything they did.',
  auditAction: 'Action', auditFrom: 'From', auditTo: 'To', auditPeriodHint: 'Choose both dates to download a unit\'s evidence for a period.', exportUnitEvidence: 'Download this unit\'s evidence for the period',
  signatureOk: 'Checkpoint signature valid (key {0}).', signatureBad: 'Checkpoint signature INVALID!', signatureNA: 'This browser cannot check the signature; use the offline verifier.',
  auditEmpty: 'No records. Check the task id; new actions can take a few seconds to appear.', timeline: 'Timeline', exportEvidence: 'Download evidence',
  verifyProof: 'Verify', proofOk: 'Verified: the record is in the signed checkpoint of {0} records.', proofBad: 'Verification FAILED: record and checkpoint disagree!', proofNA: 'Cannot verify yet',
  colTime: 'Time', colActor: 'Actor', colAction: 'Action', colFrom: 'Client', colSeq: 'No.',
  notifTitle: 'Messages', notifEmpty: 'No messages. New assignments, urges and deadline reminders appear here.', markRead: 'Mark read', unreadN: '{0} unread',
  openTask: 'Open task', error_400: 'The input is not valid.', error_401: 'Your session has expired; please sign in again.', error_403: 'Your role does not allow this.',
  error_404: 'Not found.', error_409: 'This cannot be done in the task\'s current state.', error_412: 'Someone else just changed this task; reload and try again.',
  error_413: 'The file is too large.', error_429: 'Too many requests; please wait a moment.', error_5xx: 'Something went wrong on the server; please try again later.',
  field_title: 'Title', field_description: 'Requirements', field_category: 'Category', field_leadUnit: 'Lead unit', field_coUnits: 'Co-units',
  field_deadline: 'Deadline', field_responsibleLeader: 'Responsible leader', field_text: 'Progress', field_percent: 'Percent',
  field_reason: 'Reason', field_summary: 'Summary', field_message: 'Message', field_proposedDeadline: 'New deadline',
  field_timeliness: 'Timeliness', field_quality: 'Quality', field_comment: 'Comment',
  msg_required: 'must not be empty', msg_size: 'is too long', msg_pattern: 'has the wrong format', msg_range: 'is out of range',
  etype_registered: 'Registered', etype_assigned: 'Assigned', etype_acknowledged: 'Acknowledged', etype_progress: 'Progress reported', etype_urged: 'Urged',
  etype_extension: 'Extension', etype_completion: 'Completion requested', etype_reviewed: 'Reviewed', etype_evaluated: 'Evaluated', etype_deadline: 'Deadline changed',
  etype_cancelled: 'Cancelled', etype_suspended: 'Suspended', etype_resumed: 'Resumed', etype_login: 'Signed in', etype_loginFailed: 'Sign-in failed', etype_logout: 'Signed out', etype_denied: 'Access denied', etype_limited: 'Rate limited', etype_notification: 'Notification',
  subTasks: 'Sub-tasks', acknowledgedAt: 'Acknowledged', decomposeTitle: 'Decompose: a sub-task', afterParent: 'A sub-task is due no later than its parent ({0}).', parent: 'Parent task', leader: 'Responsible leader', createdBy: 'Registered by', source: 'Source', cycle: 'Reporting cycle', milestones: 'Milestones',
};

export const UNITS = {
  'office-dcs': ['区委区政府督查室', 'Supervision Office'], 'district-leaders': ['区政府领导', 'District leaders'], 'dept-jw': ['区纪委监委', 'Discipline Inspection'],
  'dept-fgj': ['区发展和改革局', 'Development and Reform Bureau'], 'dept-gxj': ['区工业和信息化局', 'Industry and IT Bureau'],
  'dept-nyj': ['区农业农村局', 'Agriculture Bureau'], 'dept-jyj': ['区教育局', 'Education Bureau'], 'dept-wjj': ['区卫生健康局', 'Health Bureau'],
  'dept-zjj': ['区住房和城乡建设局', 'Housing and Construction Bureau'], 'dept-swj': ['区商务局', 'Commerce Bureau'],
  'dept-zsj': ['区政务服务数据管理局', 'Government Services Data Bureau'], 'dept-czj': ['区财政局', 'Finance Bureau'],
  'town-yuannan': ['源南镇', 'Yuannan Town'], 'town-puqian': ['埔前镇', 'Puqian Town'], 'town-shangcheng': ['上城街道', 'Shangcheng Subdistrict'],
  'town-xinjiang': ['新江街道', 'Xinjiang Subdistrict'], 'town-dongpu': ['东埔街道', 'Dongpu Subdistrict'],
  'town-gaopugang': ['高埔岗街道', 'Gaopugang Subdistrict'], 'town-yuanxi': ['源西街道', 'Yuanxi Subdistrict'],
};

export const CATEGORIES = ['urban-economy', 'reform-opening', 'livelihood', 'city-quality', 'rural-revitalization', 'party-building'];

const dictionaries = { zh, en };
let current = localStorage.getItem(KEY) === 'en' ? 'en' : 'zh';

export function lang() {
  return current;
}

export function setLang(value) {
  current = value === 'en' ? 'en' : 'zh';
  localStorage.setItem(KEY, current);
  document.documentElement.lang = current === 'en' ? 'en' : 'zh-CN';
}

/** The word for a key in the current language, with {0}, {1}... filled in; the key itself when there is none. */
export function t(key, ...args) {
  const text = dictionaries[current][key] ?? zh[key] ?? key;
  return text.replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)] ?? ''));
}

export function unitName(code) {
  if (!code) return '';
  const names = UNITS[code];
  return names ? names[current === 'en' ? 1 : 0] : code;
}

export function categoryName(code) {
  if (!code) return '';
  const key = 'cat_' + code.replace(/-/g, '_');
  return dictionaries[current][key] ? t(key) : code;
}

/** A part of an event type and the words for it; the first that matches wins. */
const EVENT_WORDS = {
  registered: 'etype_registered', assigned: 'etype_assigned', acknowledged: 'etype_acknowledged', progress: 'etype_progress',
  urged: 'etype_urged', extension: 'etype_extension', completion: 'etype_completion', reviewed: 'etype_reviewed',
  evaluated: 'etype_evaluated', deadline: 'etype_deadline', cancelled: 'etype_cancelled', suspended: 'etype_suspended',
  resumed: 'etype_resumed', 'login-failed': 'etype_loginFailed', login: 'etype_login', 'logged-out': 'etype_logout',
  denied: 'etype_denied', 'rate-limited': 'etype_limited', notification: 'etype_notification',
};

/** The actions an inspector can search for, as event types of the audit trail. */
export const AUDIT_ACTIONS = [
  'task.registered', 'task.assigned', 'task.acknowledged', 'task.progress-reported', 'task.urged',
  'task.extension-requested', 'task.extension-decided', 'task.deadline-changed', 'task.completion-requested',
  'task.reviewed', 'task.evaluated', 'task.cancelled', 'task.suspended', 'task.resumed',
  'notification.sent', 'notification.failed',
  'security.login-succeeded', 'security.login-failed', 'security.logged-out', 'security.access-denied', 'security.rate-limited',
].map(name => 'gov.supervision.' + name + '.v1');

/** An audit event type such as gov.supervision.task.progress-reported.v1 in words. */
export function eventName(type) {
  if (!type) return '';
  const name = type.replace(/^gov\.supervision\./, '').replace(/\.v\d+$/, '');
  const word = Object.keys(EVENT_WORDS).find(w => name.includes(w));
  return word ? t(EVENT_WORDS[word]) + ' · ' + name : name;
}

document.documentElement.lang = current === 'en' ? 'en' : 'zh-CN';
