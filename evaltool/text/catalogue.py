"""Every sentence a user reads, in Chinese (default) and English (``--lang en``).

Messages are looked up by key and filled with ``str.format`` fields.  An unknown key or a
missing field raises: the tests render every message of every rule in both languages and check
that the two languages of a key take the same fields, so a gap is caught there, not shown as a
blank to an officer.
"""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, tuple[str, str]] = {
    # -- files that cannot be checked (exit 2) ----------------------------------------------
    "file_missing": ("找不到文件：{path}", "File not found: {path}"),
    "is_directory": ("{path} 是文件夹，不是工作簿文件", "{path} is a folder, not a workbook file"),
    "file_unreadable": ("{path} 无法读取：{reason}", "Cannot read {path}: {reason}"),
    "term.os.permission": ("没有权限", "permission denied"),
    "term.os.busy": ("文件正被其他程序占用", "another program holds the file"),
    "term.os.other": ("操作系统拒绝了（可能是断开的链接、设备文件或磁盘错误）",
                      "the system refused (a broken link, a device or a disk error?)"),
    "term.file.not_found": ("找不到该文件", "no such file"),
    "term.file.not_utf8": ("不是 UTF-8 或 GBK 编码的文本（请另存为 UTF-8 的 CSV）",
                           "neither UTF-8 nor GBK text (save it as a UTF-8 CSV)"),
    "term.file.toml_syntax": ("TOML 语法错误（检查引号、等号和方括号是否成对）",
                              "TOML syntax error (check that quotes, equals signs and brackets pair up)"),
    "file.toml_syntax_at": ("第 {line} 行有 TOML 语法错误（检查该行的引号、等号和方括号是否成对）",
                            "TOML syntax error on line {line} (check its quotes, equals sign and brackets)"),
    "file_empty": ("{path} 是空的（0 字节）", "{path} is empty (0 bytes)"),
    "file_too_large": ("文件 {path} 有 {size} MB，超过 {cap} MB 上限，不像是自评表",
                       "{path} is {size} MB, over the {cap} MB cap for a self-evaluation workbook"),
    "old_xls": ("{path} 是旧版 .xls 格式：请在 Excel/WPS 中“另存为” .xlsx 后再核查",
                "{path} is an old .xls file: save it as .xlsx in Excel/WPS, then check it again"),
    "encrypted": ("{path} 已加密或设了打开密码（也可能是改了扩展名的 .xls）：请取消密码并另存为 .xlsx",
                  "{path} is encrypted or password-protected (or a renamed .xls): remove the password and save as .xlsx"),
    "not_xlsx": ("{path} 不是 Excel 工作簿（{suffix}）：请用本工具的模板（.xlsx）填报",
                 "{path} is not an Excel workbook ({suffix}): fill in evaltool's template (.xlsx)"),
    "zip_bomb": ("{path} 的内容解压后异常巨大（{part}），为安全起见拒绝打开",
                 "{path} expands to an abnormal size ({part}); refused for safety"),
    "zip_corrupt": ("{path} 已损坏（{part}），无法打开：请重新从 Excel/WPS 保存",
                    "{path} is damaged ({part}); save it again from Excel/WPS"),
    "zip_damaged": ("{path} 已损坏：压缩包的目录读不出来，无法打开：请重新获取原文件，或重新从 Excel/WPS 保存",
                    "{path} is damaged: its zip directory cannot be read; get the file again, or save it again "
                    "from Excel/WPS"),
    "part_missing": ("{path} 缺少内部部件 {part}，需要核查的单元格读不出来（多半是保存它的程序漏写了这一部件）："
                     "请在 Excel/WPS 中打开并另存为 .xlsx 后再核查",
                     "{path} lacks its part {part}, so the cells to check cannot be read (most likely the program "
                     "that saved it left the part out): open it in Excel/WPS, save it as .xlsx and check it again"),
    "not_template": ("{path} 不是部门整体支出绩效自评模板（缺少工作表：{missing}）。请用 evaltool template 生成模板填写",
                     "{path} is not the self-evaluation template (sheets missing: {missing}); "
                     "fill the template made by `evaltool template`"),
    "sheets_missing": ("{path} 缺少模板工作表：{missing}（可能被删除或改名）",
                       "{path} lacks template sheets: {missing} (deleted or renamed?)"),
    "template_version": ("{path} 的模板版本为 {found}，本工具只认 {expected}：请把数据转填到新模板",
                         "{path} uses template version {found}; this tool reads {expected}: copy the data into the new template"),
    "template_stamp": ("{path} 的 填表说明!B2 没有模板版本标记 {expected}：请用 evaltool template 生成的模板填写",
                       "{path} has no template stamp {expected} in 填表说明!B2: use the template from `evaltool template`"),
    "output_failed": ("无法写出核查结果 {path}：{reason}（原文件未改动）",
                      "Cannot write the checked copy {path}: {reason} (the input is unchanged)"),
    "output_locked": ("无法写出 {path}：文件可能正在 Excel/WPS 中打开，请关闭后重试（原文件未改动）",
                      "Cannot write {path}: it may be open in Excel/WPS; close it and retry (the input is unchanged)"),
    "prior_mismatch": ("{path} 与上年自评表 {prior} 不配套：本年为 {dept} {year} 年度，上年表为 {prior_dept} {prior_year} "
                       "年度（应为同一部门、上一年度）",
                       "{path} and last year's workbook {prior} do not pair: this year is {dept} {year}, last year's "
                       "is {prior_dept} {prior_year} (same department, the year before)"),
    "prior_unreadable": ("{path} 的上年自评表 {prior} 无法核查：{reason}",
                         "Last year's workbook {prior} of {path} cannot be checked: {reason}"),
    "output_is_input": ("输出文件不能与输入文件相同：{path}", "The output must not be the input file: {path}"),
    "duplicate_input": ("{path} 在本次命令中重复出现，只核查一次", "{path} was given twice; checked once"),
    "export_suffix": ("--export {path}：数据集只能写成 .csv、.xlsx 或 .parquet",
                      "--export {path}: the dataset is written as .csv, .xlsx or .parquet"),
    "export_no_pyarrow": ("--export {path}：写 .parquet 需要 pyarrow（pip install 'evaltool[parquet]'），或改用 .csv/.xlsx",
                          "--export {path}: .parquet needs pyarrow (pip install 'evaltool[parquet]'); or use .csv/.xlsx"),
    "export_written": ("数据集已写入 {path}", "Dataset written to {path}"),
    "export_failed": ("无法写出数据集 {path}：{reason}", "Cannot write the dataset {path}: {reason}"),
    "prior_one_file": ("--prior 只能用于单个自评表；核查文件夹请用 --prior-dir",
                       "--prior takes one workbook; for a folder use --prior-dir"),
    "prior_renames_alone": ("--prior-renames 要与 --prior-dir 一起用", "--prior-renames goes with --prior-dir"),
    "usage_help": ("（{command} --help 查看帮助）", "Try '{command} --help' for help."),
    "usage_error": ("错误：{message}", "Error: {message}"),
    "usage_missing": ("缺少参数 {name}", "Missing argument {name}"),
    "usage_no_option": ("没有选项 {name}", "No such option {name}"),
    "usage_did_you_mean": ("（是否要用 {names}？）", " (did you mean {names}?)"),
    "usage_bad_value": ("{name} 的值无效（{detail}）", "Invalid value for {name} ({detail})"),
    "usage_no_command": ("没有命令 {name}", "No such command {name}"),
    "usage_aborted": ("已中止", "Aborted"),
    "help_usage": ("用法：", "Usage: "),
    "help_heading_options": ("选项：", "Options:"),
    "help_heading_commands": ("命令：", "Commands:"),
    "help_help": ("显示本帮助并退出", "Show this message and exit."),
    "help_version": ("显示版本号并退出", "Show the version and exit."),
    "help_default": ("默认：", "default: "),
    "help_required": ("必填", "required"),
    "prior_dir_missing": ("找不到上年自评表文件夹 {path}", "No folder of last year's workbooks at {path}"),
    "prior_dir_unreadable": ("上年文件夹中的 {path} 无法读取，不参与配对：{reason}",
                             "{path} in last year's folder cannot be read and is not paired: {reason}"),
    "renames_unreadable": ("部门更名对照文件 {path} 无法读取：{reason}",
                           "The department rename file {path} cannot be read: {reason}"),
    "output_one_file": ("-o/--output 只能用于单个文件；多个文件请用 --out-dir",
                        "-o/--output takes a single input file; use --out-dir for several"),
    "unknown_rule": ("没有编码为 {code} 的规则；用 evaltool rules 查看全部", "No rule {code}; see `evaltool rules`"),
    "rule_off": ("关闭", "off"),
    "rule_by_ruleset": ("（本县评分规则设定）", "(set by the rule set)"),
    "ruleset_heading": ("评分规则 {name}：{title}", "Scoring rule set {name}: {title}"),
    "no_inputs": ("没有找到要核查的 .xlsx/.xlsm 文件", "No .xlsx/.xlsm files to check"),
    # -- evaltool serve: the local page (its script gets the web.* texts raw, fields filled there) ------------
    "web.title": ("部门整体支出绩效自评核查", "Self-evaluation workbook check"),
    "web.intro": ("选择或拖入自评表（可一次选多个），也可同时选自评报告。文件只在本机处理，原文件不会被改动。",
                  "Choose or drop workbooks (several at once), and self-evaluation reports too. Files stay on this "
                  "computer; the originals are never changed."),
    "web.step_files": ("选择文件", "Choose files"),
    "web.files_label": ("自评表（.xlsx）和自评报告（.docx、.pdf、.txt）", "Workbooks (.xlsx) and reports (.docx, .pdf, .txt)"),
    "web.drop": ("或把文件拖到这里", "or drop files here"),
    "web.priors_label": ("上年自评表（.xlsx，可选，可一次选多个）", "Last year's workbooks (.xlsx, optional, several at once)"),
    "web.priors_help": ("按部门名称和年度与本年自评表配对（上年表为评价年度 − 1），先选后选均可；已核查的本年自评表会随之"
                        "重新核查，加上与上年核对的结果。",
                        "Paired with this year's workbooks by department and year (last year's is the year before), "
                        "chosen before or after them; a workbook already checked is checked again against it."),
    "web.prior_used": ("已与 {names} 核对", "used for {names}"),
    "web.prior_unused": ("未使用：本次没有 {dept} {year} 年度的自评表与之配对",
                         "unused: no {year} workbook of {dept} in this session to pair it with"),
    "web.step_results": ("核查结果", "Results"),
    "web.step_downloads": ("下载", "Downloads"),
    "web.quit": ("退出", "Quit"),
    "web.quit_done": ("核查页面已结束，可以关闭此页。", "The page has stopped; you may close this tab."),
    "web.waiting": ("等待", "waiting"),
    "web.uploading": ("上传中 {percent}%", "uploading {percent}%"),
    "web.checking": ("核查中…", "checking…"),
    "web.rule": ("规则", "Rule"),
    "web.where": ("位置", "Cell"),
    "web.stated": ("填报", "Stated"),
    "web.recomputed": ("重算", "Recomputed"),
    "web.difference": ("相差", "Difference"),
    "web.message": ("问题与提示", "Finding and hint"),
    "web.explain_label": ("单位说明：{code} {where}", "Explanation: {code} {where}"),
    "web.explain_help": ("写清原因（至少 6 个字；“无”“已核实”之类不算说明）。保存后写入核查副本的“核查结果”表。",
                         "Say why (at least 6 characters; “none” or “checked” is not an explanation). Saved into the "
                         "checked copy's 核查结果 sheet."),
    "web.explain_save": ("保存说明", "Save explanation"),
    "web.explain_saved": ("说明已写入核查副本", "Explanation written into the checked copy"),
    "web.no_findings": ("没有发现问题", "No findings"),
    "web.download_checked": ("核查副本", "Checked copy"),
    "web.download_fixed": ("更正副本（占比、比率改为重算值）", "Corrected copy (shares and rates recomputed)"),
    "web.download_draft": ("自评报告草稿", "Report draft"),
    "web.download_summary": ("汇总表（本次全部文件）", "County summary (all files of this session)"),
    "web.download_template": ("空白模板", "Blank template"),
    "web.bad_host": ("拒绝访问：请求的主机名不是本机核查页面的地址", "Refused: the Host is not this page's address"),
    "web.bad_token": ("拒绝访问：缺少或错误的访问口令。请用启动时打开（或命令行显示）的地址访问",
                      "Refused: missing or wrong token. Use the address evaltool serve opened or printed"),
    "web.too_many": ("{name} 未上传：本次已有 {cap} 个文件，达到上限。请下载结果后退出，再重新打开核查其余文件",
                     "{name} not uploaded: this session already holds {cap} files, the limit. Download the results, "
                     "quit and start again for the rest"),
    "web.file_too_large": ("{name} 未上传：超过每个文件 {cap} MB 的上限，不像是自评表",
                           "{name} not uploaded: over the {cap} MB limit per file, too big for a workbook"),
    "web.total_too_large": ("{name} 未上传：本次上传已达 {cap} MB 的上限。请下载结果后退出，再重新打开核查其余文件",
                            "{name} not uploaded: this session reached its {cap} MB limit. Download the results, quit "
                            "and start again for the rest"),
    "web.request_too_large": ("未上传：超过每个文件 {cap} MB 的上限", "Not uploaded: over the {cap} MB limit per file"),
    "web.no_file": ("没有收到文件", "No file received"),
    "web.not_found": ("找不到该文件或结果", "No such file or result"),
    "web.no_summary": ("还没有核查过的文件", "No file has been checked yet"),
    "web.http_error": ("请求无法处理（{code}）", "The request cannot be handled ({code})"),
    "web.crashed": ("处理时出错，请重试；仍出错时请用命令行 evaltool check 核查此文件",
                    "Something went wrong; retry, or check the file with evaltool check on the command line"),
    "web.draft_refused": ("未生成自评报告：工作簿有 {errors} 个强制性错误，请先修正（命令行 evaltool draft --force "
                          "可生成带【待核实】标记的草稿）",
                          "Report not drafted: the workbook has {errors} error(s) to fix first (evaltool draft --force "
                          "drafts it with the affected figures marked)"),
    "web.started": ("核查页面：{url}\n用完请点页面上的“退出”（或按 Ctrl+C）；闲置 {minutes} 分钟后自动结束",
                    "The page: {url}\nPress Quit on the page (or Ctrl+C) when done; it stops by itself after "
                    "{minutes} idle minutes"),
    "web.stopped": ("核查页面已结束，临时文件已删除", "The page has stopped; its temporary files are removed"),
    "web.port_busy": ("无法在端口 {port} 启动核查页面：{reason}", "Cannot start the page on port {port}: {reason}"),
    # -- evaltool draft: the 自评报告 ----------------------------------------------------------
    "draft_not_docx": ("自评报告须写成 .docx 文件：{path}", "The report must be written as a .docx file: {path}"),
    "draft_refused": ("未生成自评报告：工作簿有 {errors} 个强制性错误，请先修正（或加 --force 生成草稿，"
                      "受错误影响的数字标为【待核实】）",
                      "Report not drafted: the workbook has {errors} error(s) to fix first (or use --force to "
                      "draft it with the figures they affect marked for verification)"),
    "template_written": ("模板已写入 {path}", "Template written to {path}"),
    "draft_written": ("自评报告草稿已写入 {path}", "Report draft written to {path}"),
    "draft_marks": ("草稿中有 {missing} 处【请填写】、{doubtful} 处【待核实】：补充、核实后再定稿",
                    "The draft has {missing} place(s) to fill in and {doubtful} figure(s) to verify: "
                    "complete them before it is final"),
    "draft_old_template": ("{path} 用的是 {version} 模板，没有“文字说明”表和“自评说明”列：报告的文字部分留作"
                           "【请填写】；用 evaltool template 生成的新模板可以填写这些内容",
                           "{path} uses template {version}, without the sheet 文字说明 and the notes column of 自评评分表: "
                           "the report's text is left for you to fill in; the template from `evaltool template` "
                           "has room for it"),
    "draft_crashed": ("为 {path} 生成自评报告时程序出错，未生成报告；请把文件发给维护人员",
                      "Drafting the report on {path} failed; nothing was written. Please send the file "
                      "to the maintainers"),
    "report_template_not_docx": ("报告模板 {path} 不是 Word 文档（.docx）：请在 WPS/Word 中另存为 .docx",
                                 "The report template {path} is not a Word document (.docx): save it as .docx "
                                 "in WPS/Word"),
    "report_template_damaged": ("报告模板 {path} 无法打开：请在 WPS/Word 中重新另存为 .docx",
                                "The report template {path} cannot be opened: save it again as .docx "
                                "in WPS/Word"),
    "report_template_syntax": ("报告模板 {path} 第 {line} 处的模板标记有误：{reason}（检查 {{{{ }}}} 与 {{% %}} 是否成对）",
                               "The report template {path} has a tag error near line {line}: {reason} "
                               "(check that {{{{ }}}} and {{% %}} are paired)"),
    "report_template_unknown": ("报告模板 {path} 用了本工具不提供的变量：{names}。可用的变量：{known}",
                                "The report template {path} uses variables this tool does not provide: {names}. "
                                "Available: {known}"),
    "report_template_render": ("按报告模板 {path} 生成报告时出错：{reason}",
                               "The report template {path} failed while the report was made: {reason}"),
    # -- findings: single cells --------------------------------------------------------------
    "required_missing": ("{where}（{label}）为必填项，未填写", "{where} ({label}) is required but blank"),
    "parse.not_a_number": ("{where}（{label}）“{raw}”不是数字", "{where} ({label}) \"{raw}\" is not a number"),
    "parse.unit_mismatch": ("{where}（{label}）“{raw}”的单位与本表金额单位（{unit}）不一致，请换算后填数字",
                            "{where} ({label}) \"{raw}\" is not in the workbook's unit ({unit})"),
    "parse.negative": ("{where}（{label}）不能为负数：“{raw}”", "{where} ({label}) cannot be negative: \"{raw}\""),
    "parse.not_finite": ("{where}（{label}）不是有限数值：“{raw}”", "{where} ({label}) is not a finite number: \"{raw}\""),
    "parse.too_large": ("{where}（{label}）数值过大：“{raw}”", "{where} ({label}) is too large: \"{raw}\""),
    "parse.boolean": ("{where}（{label}）是逻辑值 {raw}，应填数字", "{where} ({label}) is the TRUE/FALSE value {raw}, not a number"),
    "parse.date_in_number": ("{where}（{label}）是日期，应填数字（单元格格式可能被设成了日期）",
                             "{where} ({label}) holds a date where a number belongs (cell formatted as a date?)"),
    "parse.bad_date": ("{where}（{label}）“{raw}”不是有效日期，请按 2024-07-12 填写",
                       "{where} ({label}) \"{raw}\" is not a valid date; use 2024-07-12"),
    "parse.not_a_choice": ("{where}（{label}）“{raw}”不在可选项中（{choices}）",
                           "{where} ({label}) \"{raw}\" is not one of the choices ({choices})"),
    "parse.not_a_year": ("{where}（{label}）“{raw}”不是年度（如 2023）", "{where} ({label}) \"{raw}\" is not a year (e.g. 2023)"),
    "parse.not_whole": ("{where}（{label}）“{raw}”应为整数", "{where} ({label}) \"{raw}\" must be a whole number"),
    "parse.error_value": ("{where}（{label}）为错误值 {raw}", "{where} ({label}) is the error value {raw}"),
    "parse.unexpected": ("{where}（{label}）的内容无法识别：“{raw}”", "{where} ({label}) cannot be read: \"{raw}\""),
    "parse.unsupported_type": ("{where}（{label}）的内容类型无法识别：“{raw}”",
                               "{where} ({label}) holds a value of an unsupported type: \"{raw}\""),
    "text_number": ("{where}（{label}）以文本形式存储数字“{raw}”，已按 {value} 读取；文本会被 Excel/WPS 求和公式漏算，请改为数值",
                    "{where} ({label}) stores the number \"{raw}\" as text (read as {value}); "
                    "Excel/WPS sums skip text, so enter it as a number"),
    "error_value": ("{where}（{label}）为错误值 {raw}，请修正公式或改填数值",
                    "{where} ({label}) is the error value {raw}; fix the formula or enter the figure"),
    "no_cache": ("文件中有 {n} 个公式没有保存计算结果：{cells}（如 {where} ={formula}）；本工具不把它们当作 0。"
                 "请在 Excel/WPS 中打开并保存后再核查",
                 "{n} formula(s) in the file have no saved result: {cells} (e.g. {where} ={formula}); they are "
                 "not read as 0. Open and save the file in Excel/WPS, then check again"),
    "no_cache_more": ("文件中有 {n} 个公式没有保存计算结果：{cells} 等（如 {where} ={formula}）；本工具不把它们当作 0。"
                      "请在 Excel/WPS 中打开并保存后再核查",
                      "{n} formulas in the file have no saved result: {cells} and more (e.g. {where} ={formula}); "
                      "they are not read as 0. Open and save the file in Excel/WPS, then check again"),
    "negative": ("{where}（{label}）为负数 {value}，请核实", "{where} ({label}) is negative ({value}); please verify"),
    "layout_changed": ("模板结构被改动：{where} 应为“{expected}”，实为“{found}”，找不到该行/列，相关数据未读取",
                       "Template changed: {where} should read \"{expected}\" but reads \"{found}\"; that row/column was not read"),
    "table_repeated": ("{table}在本表出现不止一处：按第 {used} 行起的一处读取（列标题与模板相符或最接近模板位置），"
                       "另一处在第 {others} 行起；请删去多余的表或改掉其行标签",
                       "{table} appears more than once on this sheet: the copy from row {used} is read (its headings "
                       "match the template, or it is nearest the template's place); another starts at row {others}. "
                       "Delete the extra table or rename its row labels"),
    "extra_row": ("{where}“{label}”不是模板中的行，本行的数字不参与任何核查：请把它并入模板中相应的行后删除本行"
                  "（明细请以“其中”开头）",
                  "{where} \"{label}\" is not a row of the template, so its figures enter no check: add them to the "
                  "template's row they belong to and delete this row (label a breakdown \"of which …\" in Chinese)"),
    "internal_error": ("规则 {rule} 未能完成，其余核查不受影响；请把文件发给维护人员",
                       "Rule {rule} failed; the other checks ran. Please send the file to the maintainers"),
    # -- findings in a 自评报告 ({where} is the paragraph, line or page; the sentence is quoted beside it)
    "rpt.sum": ("{where}：合计 {stated}{unit}，其中各项（{parts}）相加为 {recomputed}{unit}，相差 {difference}{unit}",
                "{where}: the total {stated} {unit} is not the sum of its parts ({parts}), {recomputed} {unit}; difference {difference} {unit}"),
    "rpt.sum_tail": ("{where}：合计 {stated}{unit}，其中各项（{parts}）相加为 {recomputed}{unit}，相差 {difference}{unit}，"
                     "在各数四舍五入的尾差（{tolerance}{unit}）以内，请核实",
                     "{where}: the total {stated} {unit} differs from the sum of its parts ({parts}), {recomputed} {unit}, by "
                     "{difference} {unit}, within the rounding of the figures shown ({tolerance} {unit}); please verify"),
    "rpt.share": ("{where}：{part}占{basis}的比重写为 {stated}，按 {formula} 重算为 {recomputed}，相差 {difference} 个百分点",
                  "{where}: the share of {part} in {basis} is given as {stated}; {formula} gives {recomputed} "
                  "(difference {difference} percentage points)"),
    "rpt.share_tail": ("{where}：{part}占{basis}的比重写为 {stated}，按 {formula} 重算为 {recomputed}；"
                       "只有按各数四舍五入前的数才可能得到 {stated}，请核实",
                       "{where}: the share of {part} in {basis} is given as {stated}; {formula} gives {recomputed}, and only "
                       "the unrounded figures could give {stated}; please verify"),
    "rpt.change_words": ("{where}：同一句中“{first}”与“{second}”的增减方向相反",
                         "{where}: '{first}' and '{second}' in the same sentence go opposite ways"),
    "rpt.change_direction": ("{where}：写的是“{word}”，但{current} {stated} 与{previous} {recomputed} 相比相差 {difference}{unit}，方向相反",
                             "{where}: says '{word}', but {current} {stated} against {previous} {recomputed} is a "
                             "difference of {difference} {unit}: the other way"),
    "rpt.change": ("{where}：增减额写为 {stated}{unit}，按 {formula} 重算为 {recomputed}{unit}，相差 {difference}{unit}",
                   "{where}: the change is given as {stated} {unit}; {formula} gives {recomputed} {unit} (difference {difference} {unit})"),
    "rpt.change_tail": ("{where}：增减额写为 {stated}{unit}，按 {formula} 重算为 {recomputed}{unit}，相差 {difference}{unit}，"
                        "在四舍五入的尾差以内，请核实",
                        "{where}: the change is given as {stated} {unit}; {formula} gives {recomputed} {unit}, a difference of "
                        "{difference} {unit} within rounding; please verify"),
    "rpt.change_percent": ("{where}：增减幅度写为 {stated}，按 {formula} 重算为 {recomputed}，相差 {difference} 个百分点",
                           "{where}: the rate of change is given as {stated}; {formula} gives {recomputed} "
                           "(difference {difference} percentage points)"),
    "rpt.change_percent_tail": ("{where}：增减幅度写为 {stated}，按 {formula} 重算为 {recomputed}；只有按各数四舍五入前的数才可能得到 {stated}，请核实",
                                "{where}: the rate of change is given as {stated}; {formula} gives {recomputed}, and only the "
                                "unrounded figures could give {stated}; please verify"),
    "rpt.change_base": ("{where}：增减幅度 {stated} 是以本期的{current}为基数算的；增减幅度应以上期数为基数：{formula} = {recomputed}",
                        "{where}: the rate of change {stated} was taken on this period's {current}; it is taken on the earlier "
                        "figure: {formula} = {recomputed}"),
    "rpt.count": ("{where}：写的是 {count}，列举的却是 {recomputed} 个（{items}）",
                  "{where}: says {count}, but lists {recomputed} ({items})"),
    "rpt.count_open": ("{where}：写的是“等 {count}”，却列举了 {recomputed} 个（{items}）",
                       "{where}: says 'and others, {count} in all', but lists {recomputed} ({items})"),
    "rpt.numbering": ("{where}：序号“{marker}”跳号，此处应为 {recomputed}",
                      "{where}: item number '{marker}' skips; it should be {recomputed}"),
    "rpt.numbering_repeat": ("{where}：序号“{marker}”与上一项重复，此处应为 {recomputed}",
                             "{where}: item number '{marker}' repeats the one before; it should be {recomputed}"),
    "rpt.compare": ("{where}：“{left}”{word}“{right}”与数字不符", "{where}: '{left}' {word} '{right}' does not hold"),
    "rpt.blank": ("{where}：“{blank}”处缺少数字，像是没有填完的空", "{where}: '{blank}' has no figure: a blank left unfilled"),
    "rpt.rate": ("{where}：完成率写为 {stated}，按 {formula} 重算为 {recomputed}，相差 {difference} 个百分点",
                 "{where}: the rate is given as {stated}; {formula} gives {recomputed} (difference {difference} percentage points)"),
    "rpt.rate_tail": ("{where}：完成率写为 {stated}，按 {formula} 重算为 {recomputed}；只有按各数四舍五入前的数才可能得到 {stated}，请核实",
                      "{where}: the rate is given as {stated}; {formula} gives {recomputed}, and only the unrounded figures "
                      "could give {stated}; please verify"),
    "rpt.full_but_over": ("{where}：完成率写为 {stated}，但同一句中{actual}超过{budget}，按实际应为 {recomputed}",
                          "{where}: the rate is given as {stated}, but in the same sentence {actual} is above {budget}: "
                          "it is {recomputed}"),
    "rpt.grade": ("{where}：等级写为“{word}”（{stated}），但得分 {score} 分对应的等级是{recomputed}",
                  "{where}: the grade is given as '{word}' ({stated}), but a score of {score} is {recomputed}"),
    "rpt.book": ("{where}：{stated} 与自评表 {path} 的{item} {recomputed} 不一致",
                 "{where}: {stated} differs from {item} in the workbook {path}, {recomputed}"),
    "rpt.book_score": ("{where}：得分 {stated} 分与自评表 {path} 的{item}自评得分 {recomputed} 分不一致",
                       "{where}: the score {stated} differs from the self-score of {item} in the workbook {path}, {recomputed}"),
    "rpt.book_grade": ("{where}：等级“{word}”（{stated}）与自评表 {path} 的自评等级{recomputed}不一致",
                       "{where}: the grade '{word}' ({stated}) differs from the workbook {path}'s self-assessed grade, {recomputed}"),
    "rpt.unchecked": ("{where}：{label} {figure} 未核对（没有可据以核对的句式或数据）",
                      "{where}: {label} {figure} not checked (no sentence pattern or figure to check it against)"),
    # -- findings: skips ---------------------------------------------------------------------
    "skipped_blank": ("{where}：{cells}未填写，跳过本项核查", "{where}: {cells} blank, check skipped"),
    "skipped_unreadable": ("{where}：{cells}无法读取，跳过本项核查",
                           "{where}: {cells} unreadable, check skipped"),
    "sum_no_parts": ("{where}（{label}）：只填了合计，未填分项，无法核对",
                     "{where} ({label}): the total is given without its parts, not checked"),
    "sum_computed": ("{where}（{label}）未填，按 {n} 个分项（{parts}）合计计为 {recomputed}，用于其他核查",
                     "{where} ({label}) is blank; its {n} part(s) ({parts}) add to {recomputed}, used by the "
                     "other checks"),
    "sum_computed_partial": ("{where}（{label}）未填，按已填的 {n} 个分项（{parts}）合计计为 {recomputed}，"
                             "用于其他核查；{blank}未填，视为没有该项",
                             "{where} ({label}) is blank; the {n} part(s) given ({parts}) add to {recomputed}, "
                             "used by the other checks; {blank} blank, taken as none"),
    "ratio_not_numeric": ("{where}（{label}）：{cells}不是数值，无法计算",
                          "{where} ({label}): {cells} not numeric, not computed"),
    "ratio_basis_broken": ("{where}（{label}）：{basis}与分项不符，先修正合计再核对占比",
                           "{where} ({label}): {basis} does not match its parts; fix it first, then the shares "
                           "are checked"),
    "ratio_approximate": ("{where}（{label}）：指标值以“大于/不低于”等形式填写，无法精确核对",
                          "{where} ({label}): a value is written as a bound, not checked exactly"),
    # -- findings: sums and ratios -----------------------------------------------------------
    "sum_mismatch_percent": ("{where}（{label}）填报 {stated}，{n} 个分项占比合计为 {recomputed}，相差 {difference} 个百分点，"
                             "超出四舍五入尾差",
                             "{where} ({label}) states {stated}; its {n} sub-shares add to {recomputed}, "
                             "{difference} points apart, beyond rounding"),
    "sum_mismatch": ("{where}（{label}）填报 {stated}，{n} 个分项合计为 {recomputed}，相差 {difference} {unit}",
                     "{where} ({label}) states {stated}; its {n} parts add to {recomputed}, a difference of {difference} {unit}"),
    "sum_incomplete": ("{where}（{label}）填报 {stated}，已填的 {n} 个分项合计为 {recomputed}，相差 {difference} {unit}；"
                       "分项未填全：{blank}未填写，没有该项请填 0 或“—”，有则补填",
                       "{where} ({label}) states {stated}; the {n} parts given add to {recomputed}, a difference of "
                       "{difference} {unit}; parts missing: {blank} blank: enter 0 or a dash where there is none, "
                       "else the amount"),
    "sum_rounding": ("{where}（{label}）填报 {stated}，{n} 个分项合计为 {recomputed}，相差 {difference} {unit}，"
                     "在四舍五入尾差（{tolerance}）以内，请在核查结果的“单位说明”栏注明",
                     "{where} ({label}) states {stated}; its {n} parts add to {recomputed} ({difference} {unit}), "
                     "within the rounding tolerance {tolerance}: explain it in the Explanation column of the results sheet"),
    "lost_percent_formats": ("{where}（{label}）等 {n} 个填报的占比、比率都恰好是重算值的 1/100（此格填 {typed}，"
                             "重算为 {meant}）：工作簿的百分比格式丢失了（多半是用 pandas 等程序另存过）。请在 Excel/WPS "
                             "中把这些单元格设为百分比格式（数不用改），或把数据转填到 evaltool template 生成的模板；"
                             "本次已按百分比核对这些单元格",
                             "{where} ({label}) and the other stated shares and rates, {n} in all, are exactly 1/100 "
                             "of the recomputed figures (this one states {typed}; recomputed {meant}): the workbook "
                             "lost its percentage formats (most likely re-saved through pandas or another program). "
                             "Format these cells as percentages in Excel/WPS (the numbers need no change), or copy "
                             "the data into the template from `evaltool template`; they were checked as percentages "
                             "this time"),
    "ratio_mismatch": ("{where}（{label}）填报 {stated}，按 {formula} 重算为 {recomputed}，相差 {difference} 个百分点",
                       "{where} ({label}) states {stated}; {formula} gives {recomputed}, {difference} points apart"),
    "ratio_mismatch_hint": ("{where}（{label}）填报 {stated}，按 {formula} 重算为 {recomputed}，相差 {difference} 个百分点；"
                            "{hint}",
                            "{where} ({label}) states {stated}; {formula} gives {recomputed}, {difference} points "
                            "apart; {hint}"),
    # The slip a wrong stated figure shows (checks/ratios.py ``_hint``).
    "hint.grand": ("填报值是按 {formula} 算的：分母应为{basis}，不是{den}",
                   "the stated figure is {formula}: the basis is {basis}, not {den}"),
    "hint.parent": ("填报值是按 {formula} 算的（占{den}的比例）：占比的分母应为{basis}",
                    "the stated figure is {formula} (a share of {den}): shares are of {basis}"),
    "hint.initial": ("填报值是按 {formula} 算的：分母应为{basis}（调整后的全年预算），不是{den}",
                     "the stated figure is {formula}: divide by {basis} (the adjusted budget), not {den}"),
    "hint.swapped": ("填报值是按 {formula} 算的：分子分母颠倒了", "the stated figure is {formula}: numerator and "
                     "denominator are swapped"),
    "hint.times100": ("填报值是重算值的 100 倍：可能把百分数 {typed} 填进了百分比格式的单元格，应填 {should}",
                      "the stated figure is 100 times the recomputed one: the percentage {typed} was probably "
                      "typed into a cell formatted as %; enter {should}"),
    "hint.fraction": ("填报值是重算值的 1/100：可能在以百分点计的单元格中填了小数 {typed}，应填 {should}",
                      "the stated figure is 1/100 of the recomputed one: the fraction {typed} was probably typed "
                      "into a cell that holds percentage points; enter {should}"),
    "hint.capped": ("填报的 100% 是封顶后的数：完成率按实际数计算，不封顶（只在评分时封顶）",
                    "the stated 100% is capped: the rate is stated as computed, uncapped (it is capped only "
                    "when scoring)"),
    "hint.sign": ("符号填反了：增减 = 决算数 − 预算数，比预算减少为负数",
                  "the sign is reversed: the change is final − budget, negative when below the budget"),
    "bound_mismatch": ("{where}（{label}）填报 {stated}，按 {formula} 重算为 {recomputed}，不满足所填条件",
                       "{where} ({label}) states {stated}; {formula} gives {recomputed}, which does not satisfy it"),
    "ratio_zero_den": ("{where}（{label}）：{den}为 0，无法计算", "{where} ({label}): {den} is 0, so it cannot be computed"),
    "diff_mismatch": ("{where}（{label}）填报 {stated}，按 {formula} 重算为 {recomputed}，相差 {difference}",
                      "{where} ({label}) states {stated}; {formula} gives {recomputed}, a difference of {difference}"),
    "diff_mismatch_hint": ("{where}（{label}）填报 {stated}，按 {formula} 重算为 {recomputed}，相差 {difference}；{hint}",
                           "{where} ({label}) states {stated}; {formula} gives {recomputed}, a difference of "
                           "{difference}; {hint}"),
    "diff_rounding": ("{where}（{label}）填报 {stated}，按 {formula} 重算为 {recomputed}，相差 {difference}（尾差）",
                      "{where} ({label}) states {stated}; {formula} gives {recomputed} ({difference}, rounding)"),
    # -- findings: limits, dates, cross-sheet ------------------------------------------------
    "over_budget": ("{where}（{label}）{actual} 超过{limit_label} {limit}，超出 {difference}",
                    "{where} ({label}) {actual} exceeds {limit_label} {limit} by {difference}"),
    "over_budget_explain": ("{where}（{label}）{actual} 超过{limit_label} {limit}，超出 {difference}，请说明（预算调整未填？）",
                            "{where} ({label}) {actual} exceeds {limit_label} {limit} by {difference}; explain it "
                            "(a budget adjustment left out?)"),
    "carryover_not_balance": ("{where}（{label}）填报 {stated}，全年预算数 − 全年执行数（{formula}）为 {recomputed}，"
                              "相差 {difference}；如有其他来源的结转或收回的资金请说明",
                              "{where} ({label}) states {stated}; full-year budget − execution ({formula}) is "
                              "{recomputed}, a difference of {difference}; explain carry-over from other sources "
                              "or funds taken back"),
    "unit_looks_yuan": ("{where}（{label}）为 {value} 万元，超过 {limit} 万元，不像一个县级部门的数额："
                        "金额可能是按元填的，而{unit_where}（{unit_cell}）写的是万元",
                        "{where} ({label}) is {value} (10k yuan), over {limit}: not a county department's figure; "
                        "the amounts were probably entered in yuan while {unit_where} ({unit_cell}) says 10k yuan"),
    "unit_looks_wan": ("{where}（{label}）为 {value} 元，不足 {limit} 元，不像一个部门全年的数额："
                       "金额可能是按万元填的，而{unit_where}（{unit_cell}）写的是元",
                       "{where} ({label}) is {value} yuan, under {limit}: not a department's year; the amounts "
                       "were probably entered in 10k yuan while {unit_where} ({unit_cell}) says yuan"),
    "goal_no_kind": ("{where}（{label}）未填写：该行不计入产出、效益、满意度指标的平均完成率，请填写",
                     "{where} ({label}) is blank: the row counts in no output, benefit or satisfaction average; "
                     "fill it in"),
    # -- last year's workbook (--prior) ------------------------------------------------------
    "prior_differs": ("{where}（{label}）{stated} 与上年自评表 {prior_where}（{prior_label}）{recomputed} 不符，相差 {difference}",
                      "{where} ({label}) {stated} differs from last year's {prior_where} ({prior_label}) {recomputed} "
                      "by {difference}"),
    "prior_change": ("{where}（{label}）{stated}，上年 {last}，变动 {difference}（{rate}），超过 {limit}，请说明原因",
                     "{where} ({label}) {stated}, last year {last}: a change of {difference} ({rate}), beyond {limit}; "
                     "explain why"),
    "prior_from_zero": ("{where}（{label}）{stated}，上年为 0，增加 {difference}，请说明原因",
                        "{where} ({label}) {stated}, last year 0: up by {difference}; explain why"),
    "prior_above": ("{where}（{label}）{stated} 高于上年 {last}，增加 {difference}：“三公”经费只减不增，请说明原因",
                    "{where} ({label}) {stated} is above last year's {last} by {difference}: the three public "
                    "expenses may only fall; explain why"),
    "prior_score_rose": ("{where}（{label}）自评得分 {stated} 高于上年 {last}，而{figure}由上年 {figure_last} 变为 {figure_now}"
                         "（变差），请说明理由",
                         "{where} ({label}) self-score {stated} is above last year's {last} while {figure} went from "
                         "{figure_last} to {figure_now} (worse); explain why"),
    "prior_error_again": ("{where}（{label}）上年自评表的同一错误（{original}）本年仍然存在，整改未到位",
                          "{where} ({label}) last year's error ({original}) is still there this year"),
    "over_last_year": ("{where}（{label}）{actual} 高于{limit_label} {limit}，增加 {difference}，请说明原因",
                       "{where} ({label}) {actual} is above {limit_label} {limit} by {difference}; explain why"),
    "carry_claimed_zero": ("{where}（{label}）填报结转结余率 {stated}，但{amount_label}（{amount_where}）为 {amount}",
                           "{where} ({label}) states a carry-over rate of {stated}, but {amount_label} ({amount_where}) is {amount}"),
    "utilization_low": ("{where}（{label}）：固定资产利用率 {recomputed}，低于 90%",
                        "{where} ({label}): fixed asset utilisation {recomputed} is below 90%"),
    "utilization_low_stated": ("{where}（{label}）填报固定资产利用率 {stated}，低于 90%",
                               "{where} ({label}) states a fixed asset utilisation of {stated}, below 90%"),
    "income_unpaid": ("{where}（{label}）{actual} 少于应缴数 {limit}，差 {difference}",
                      "{where} ({label}) {actual} is below the amount due {limit} by {difference}"),
    "no_stocktake": ("{where}：本年度未开展资产盘点", "{where}: no asset stocktake this year"),
    "filing_too_early": ("{where}（{label}）{date} 不在评价年度 {year} 之后：自评应在年度结束后填报",
                         "{where} ({label}) {date} is not after the evaluation year {year}"),
    "filing_in_future": ("{where}（{label}）{date} 晚于今天", "{where} ({label}) {date} is in the future"),
    "phone_format": ("{where}（{label}）“{value}”不像电话号码（固话如 0753-6888322，手机 11 位）",
                     "{where} ({label}) \"{value}\" is not a phone number (0753-6888322 or 11-digit mobile)"),
    "published_before_approved": ("{where}（{label}）{what}公开日期早于批复日期 {days} 天，请核对日期",
                                  "{where} ({label}) the {what} was published {days} days before approval; "
                                  "check the dates"),
    "disclosure_late": ("{where}（{label}）{what}在批复后第 {days} 天公开，超过 {limit} 天时限",
                        "{where} ({label}) the {what} was published {days} days after approval, "
                        "over the {limit}-day limit"),
    "cross_mismatch": ("{where}（{label}）{stated} 与 {other_where}（{other}）{recomputed} 不一致，相差 {difference}",
                       "{where} ({label}) {stated} differs from {other_where} ({other}) {recomputed} by {difference}"),
    "cross_rounding": ("{where}（{label}）{stated} 与 {other_where}（{other}）{recomputed} 相差 {difference}（尾差）",
                       "{where} ({label}) {stated} vs {other_where} ({other}) {recomputed}: {difference} (rounding)"),
    "funds_exceed_projects": ("{where}（{label}）专项资金拨付合计 {actual} 大于{limit_label} {limit}，超出 {difference}",
                              "{where} ({label}) special funds paid {actual} exceed {limit_label} {limit} by {difference}"),
    "sangong_exceeds_office": ("{where}（{label}）“三公”经费 {actual} 大于{limit_label} {limit}，请核实口径",
                               "{where} ({label}) three public expenses {actual} exceed {limit_label} {limit}; check the scope"),
    # -- findings: the 自评评分表 (scoring) ------------------------------------------------
    "score_above_weight": ("{where}（{label}）自评得分 {stated} 超过分值 {weight}，多 {difference} 分",
                           "{where} ({label}) self-score {stated} exceeds the weight {weight} "
                           "by {difference}"),
    "score_no_reason": ("{where}（{label}）自评得分 {stated}，低于分值 {weight}，"
                        "但扣分原因（{reason}）未填写",
                        "{where} ({label}) self-score {stated} is below the weight {weight}, "
                        "but the reason for the deduction ({reason}) is blank"),
    "score_above": ("{where}（{label}）自评得分 {stated}，按{figure} 重算为 {recomputed} 分，"
                    "高出 {difference} 分：自评不得高于重算得分",
                    "{where} ({label}) self-score {stated}; {figure} gives {recomputed}, "
                    "{difference} more than that: the self-score may not exceed it"),
    "score_below": ("{where}（{label}）自评得分 {stated}，按{figure} 重算为 {recomputed} 分，"
                    "低 {difference} 分，请核实或说明多扣分的理由",
                    "{where} ({label}) self-score {stated}; {figure} gives {recomputed}, "
                    "{difference} less than that: check it or explain the extra deduction"),
    "score_above_partial": ("{where}（{label}）自评得分 {stated}，高于按{figure}最多可得的 "
                            "{recomputed} 分（无法计算的行按全部完成计），高出 {difference} 分；"
                            "{source}",
                            "{where} ({label}) self-score {stated} is above the most {figure} can give, "
                            "{recomputed} (rows that cannot be computed taken as fully completed), "
                            "by {difference}; {source}"),
    "score_below_partial": ("{where}（{label}）自评得分 {stated}，低于按{figure}最少可得的 "
                            "{recomputed} 分（无法计算的行按未完成计），低 {difference} 分，请核实；"
                            "{source}",
                            "{where} ({label}) self-score {stated} is below the least {figure} can give, "
                            "{recomputed} (rows that cannot be computed taken as not done), "
                            "by {difference}; {source}"),
    "score_not_computable": ("{where}（{label}）：{figure}无法计算（{source}），自评得分未核对",
                             "{where} ({label}): {figure} cannot be computed ({source}); "
                             "the self-score is not checked"),
    "score_partial": ("{where}（{label}）：{figure}只能部分计算，重算得分在 {low}～{high} 分之间"
                      "（{source}）",
                      "{where} ({label}): {figure} can only partly be computed; the score lies "
                      "between {low} and {high} ({source})"),
    "score_from_stated": ("{where}（{label}）：{figure}的计算数据不全，按填报值计分（{source}）",
                          "{where} ({label}): inputs for {figure} incomplete, scored on the stated value "
                          "({source})"),
    "score_total_mismatch": ("{where}（{label}）填报 {stated}，{n} 行合计为 {recomputed}，"
                             "相差 {difference}",
                             "{where} ({label}) states {stated}; its {n} rows add to {recomputed}, "
                             "a difference of {difference}"),
    "score_grade_mismatch": ("{where}（{label}）填报“{stated}”，按合计得分 {total} 应为“{recomputed}”"
                             "（优 ≥ 90，良 80～90，中 60～80，差 < 60）",
                             "{where} ({label}) states \"{stated}\"; a total of {total} is "
                             "\"{recomputed}\" (excellent ≥ 90, good 80–90, fair 60–80, poor < 60)"),
    "grade_above": ("{where}（{label}）自评“{stated}”，按重算得分 {total} 应为“{recomputed}”：自评等级不得高于重算等级",
                    "{where} ({label}) states \"{stated}\"; the recomputed score {total} is \"{recomputed}\": "
                    "the self-assessed grade may not be above it"),
    "grade_above_range": ("{where}（{label}）自评“{stated}”，重算得分在 {low}～{high} 之间，最高为“{recomputed}”："
                          "自评等级不得高于重算等级",
                          "{where} ({label}) states \"{stated}\"; the recomputed score lies between {low} and "
                          "{high}, at best \"{recomputed}\": the self-assessed grade may not be above it"),
    "grade_below": ("{where}（{label}）自评“{stated}”，按重算得分 {total} 应为“{recomputed}”，请核实",
                    "{where} ({label}) states \"{stated}\"; the recomputed score {total} is \"{recomputed}\": "
                    "check it"),
    "grade_below_range": ("{where}（{label}）自评“{stated}”，重算得分在 {low}～{high} 之间，最低为“{recomputed}”，请核实",
                          "{where} ({label}) states \"{stated}\"; the recomputed score lies between {low} and "
                          "{high}, at least \"{recomputed}\": check it"),
    "score_grade_blank": ("{where}（{label}）未填写；按重算得分应为“{recomputed}”",
                          "{where} ({label}) is blank; the recomputed score gives \"{recomputed}\""),
    "score_weight_changed": ("{where}（{label}）为 {stated}，评分规则（{ruleset}）规定为 {recomputed}："
                             "分值不得自行修改",
                             "{where} ({label}) is {stated}; the rule set ({ruleset}) says {recomputed}: "
                             "weights may not be changed"),
    "score_weight_missing": ("{where}（{label}）未填写，评分规则（{ruleset}）规定为 {recomputed}",
                             "{where} ({label}) is blank; the rule set ({ruleset}) says {recomputed}"),
    "score_row_missing": ("{where}：评分规则（{ruleset}）中的指标“{indicator}”（分值 {weight}）"
                          "在自评评分表中找不到，该行可能被删除或改名",
                          "{where}: indicator \"{indicator}\" (weight {weight}) of the rule set "
                          "({ruleset}) is not in the score sheet; was its row deleted or renamed?"),
    "score_unknown_indicator": ("{where}（{label}）“{name}”不是评分规则（{ruleset}）中的指标，"
                                "该行可能被改名或新增",
                                "{where} ({label}) \"{name}\" is not an indicator of the rule set "
                                "({ruleset}); was the row renamed or added?"),
    "score_blank": ("{where}（{label}）未打分", "{where} ({label}) is not scored"),
    "score_none": ("{where}：自评评分表未打分，跳过评分核查",
                   "{where}: the score sheet is not scored; scoring checks skipped"),
    # -- batch checking and the summary workbook ---------------------------------------------
    "output_clash": ("{path} 未核查：它的核查结果 {output} 会覆盖 {other} 的核查结果，请改名或分开核查",
                     "{path} not checked: its checked copy {output} would overwrite that of {other}; "
                     "rename it or check it separately"),
    "output_over_input": ("{path} 未核查：它的核查结果 {output} 会覆盖本次要核查的文件 {other}，请改名或分开核查",
                          "{path} not checked: its checked copy {output} would overwrite {other}, a file of this run; "
                          "rename it or check it separately"),
    "check_crashed": ("核查 {path} 时程序出错，其余文件不受影响；请把文件发给维护人员",
                      "Checking {path} failed; the other files are not affected. "
                      "Please send the file to the maintainers"),
    "provenance": ("核查依据：evaltool {version}，模板 {template}，评分规则 {ruleset}（sha256 {digest}）",
                   "Checked by evaltool {version}, template {template}, rule set {ruleset} (sha256 {digest})"),
    "provenance_rules": ("核查依据：evaltool {version}，评分规则 {ruleset}（sha256 {digest}）",
                         "Checked by evaltool {version}, rule set {ruleset} (sha256 {digest})"),
    "provenance_tool": ("核查依据：evaltool {version}", "Checked by evaltool {version}"),
    "checks_off_ruleset": ("本县评分规则关闭的核查（{n} 项）：{codes}", "Checks switched off by the rule set ({n}): {codes}"),
    "checks_off_run": ("本次未做的核查（--select/--ignore，{n} 项）：{codes}",
                       "Checks left out of this run (--select/--ignore, {n}): {codes}"),
    "checks_changed": ("本县评分规则改变性质的核查：{items}", "Checks whose severity the rule set changed: {items}"),
    # -- files of a folder left alone (skipped, exit 0), and what a batch says of a file among the others
    "skip_lock": ("{path}：Excel/WPS 打开工作簿时生成的临时锁文件（~$ 开头），不是自评表",
                  "{path}: the lock file Excel/WPS makes while a workbook is open (~$...), not a workbook"),
    "skip_xls": ("{path}：旧版 .xls 格式，请在 Excel/WPS 中“另存为” .xlsx 后再核查",
                 "{path}: an old .xls file: save it as .xlsx in Excel/WPS and check it again"),
    "skip_hidden": ("{path}：隐藏文件（它或所在文件夹的名称以 . 开头，如 .DS_Store、macOS 的 ._ 副本），不是自评表",
                    "{path}: a hidden file (its name or its folder's starts with a dot: .DS_Store, a macOS ._ copy), "
                    "not a workbook"),
    "skip_csv": ("{path}：文本（CSV）文件，不是自评表", "{path}: a text (CSV) file, not a workbook"),
    "skip_earlier_round": ("{path}：同一文件夹中有更新的一轮核查副本 {later}，只核查最新的一轮",
                           "{path}: the folder has a later round of this checked copy, {later}; only the latest is "
                           "checked"),
    "skip_checked_copy": ("{path}：是同一文件夹中 {original} 的核查副本，已核查原文件",
                          "{path}: the checked copy of {original} beside it, which is checked"),
    "skip_other": ("{path}：不是 Excel 工作簿（{suffix}）", "{path}: not an Excel workbook ({suffix})"),
    "verdict_skipped_n": ("跳过 {n} 个文件（不是待核查的自评表，原因见上）",
                          "{n} file(s) skipped (not workbooks to check; reasons above)"),
    "flag.duplicate_earlier": ("与 {other} 是同一部门同一年度，本份较早：不计入排名和全县合计",
                               "same department and year as {other}, which is later: not ranked nor added to the "
                               "county total"),
    "flag.duplicate_later": ("与 {other} 是同一部门同一年度，本份较晚：排名和全县合计只计本份",
                             "same department and year as {other}: this later one is ranked and added to the "
                             "county total"),
    "flag.no_prior": ("上年文件夹中没有本部门 {year} 年度的自评表：未与上年核对",
                      "no {year} workbook of this department in last year's folder: not checked against last year"),
    "flag.other_ruleset": ("本文件是按评分规则 {before}（sha256 {before_digest}）核查过的副本，本次按 {now}（sha256 "
                           "{now_digest}）核查：报送单位看到的结论可能与本表不同",
                           "a checked copy whose verdict was reached under the rule set {before} (sha256 "
                           "{before_digest}); this run uses {now} (sha256 {now_digest}): the department may have "
                           "seen another verdict"),
    "flag.unit_outlier": ("合计 {total} 万元是全县中位数 {median} 万元的 {factor} 倍，金额可能是按元填的：暂不计入全县合计",
                          "total {total} (10k yuan) is {factor} times the county median {median}: probably "
                          "entered in yuan; left out of the county total"),
    "flags_heading": ("汇总提示：", "Batch notes:"),
    "written_is_input": ("{option} {path}：是本次要核查的文件，不能写在它上面；请换一个文件名",
                         "{option} {path}: a file being checked; it is not written over: choose another name"),
    "summary_not_xlsx": ("汇总表须为 .xlsx 文件：{path}", "The summary must be an .xlsx file: {path}"),
    "summary_failed": ("无法写出汇总表 {path}：{reason}", "Cannot write the summary {path}: {reason}"),
    "summary_written": ("汇总表已写入 {path}", "Summary written to {path}"),
    "copies_written": ("核查副本已写入 {path}", "Checked copies written to {path}"),
    # -- what a file really is, when it is not a readable workbook (exit 2) -----------------
    "truncated": ("{path} 不是完整的工作簿：文件被截断或末尾已损坏（可能是下载、复制或保存附件时中断），请重新获取原文件",
                  "{path} is truncated or its end is damaged (an interrupted download or copy?); get the file again"),
    "ods_file": ("{path} 是 OpenDocument 表格（.ods），本工具只读 .xlsx：请在 WPS/LibreOffice 中“另存为”"
                 " Excel 工作簿（.xlsx）后再核查",
                 "{path} is an OpenDocument spreadsheet (.ods); this tool reads .xlsx: save it as an Excel "
                 "workbook (.xlsx) in WPS/LibreOffice, then check it again"),
    "text_file": ("{path} 是文本（CSV/TXT）文件，不是 Excel 工作簿："
                  "请把数据填入本工具的模板（evaltool template 生成的 .xlsx）",
                  "{path} is a text (CSV/TXT) file, not an Excel workbook: enter the data in the template "
                  "made by `evaltool template` (.xlsx)"),
    "html_file": ("{path} 是网页（HTML/XML）格式的表格，不是真正的 Excel 工作簿（业务系统导出的“.xls”常是这样）："
                  "请在 Excel/WPS 中打开并“另存为” .xlsx 后再核查",
                  "{path} is a web-page (HTML/XML) table, not a real Excel workbook (as many “.xls” exports are): "
                  "open it in Excel/WPS, save it as .xlsx, then check it again"),
    "xlsb_file": ("{path} 是 Excel 二进制工作簿（.xlsb）：请在 Excel 中“另存为” .xlsx 后再核查",
                  "{path} is an Excel binary workbook (.xlsb): save it as .xlsx in Excel, then check it again"),
    "strict_ooxml": ("{path} 保存成了“Strict Open XML 电子表格”格式，本工具无法读取：请在 Excel 中“另存为”"
                     "普通的“Excel 工作簿（.xlsx）”",
                     "{path} is saved as a Strict Open XML spreadsheet, which this tool cannot read: save it "
                     "as an ordinary Excel workbook (.xlsx)"),
    "other_document": ("{path} 是 Word/PowerPoint 等其他文档，不是 Excel 工作簿：请选择填好的自评表（.xlsx）",
                       "{path} is a Word/PowerPoint or other document, not an Excel workbook: choose the filled "
                       "self-evaluation workbook (.xlsx)"),
    # -- 自评报告 files that cannot be checked (exit 2)
    "old_doc": ("{path} 是旧版 Word（.doc）或 WPS 文字（.wps）格式：请在 Word/WPS 中“另存为” .docx（或 PDF）后再核查",
                "{path} is an old Word (.doc) or WPS Writer (.wps) file: save it as .docx (or PDF) in Word/WPS, then check it again"),
    "encrypted_report": ("{path} 已加密或设了打开密码：请取消密码后另存为 .docx 再核查",
                         "{path} is encrypted or password-protected: remove the password, save it as .docx and check it again"),
    "encrypted_pdf": ("{path} 是加密的 PDF，读不出文字：请提供未加密的 PDF 或 Word 文档",
                      "{path} is an encrypted PDF whose text cannot be read: provide an unencrypted PDF or the Word document"),
    "report_is_workbook": ("{path} 是 Excel 工作簿，不是自评报告：工作簿请以 .xlsx 扩展名核查，或用 --book 指定",
                           "{path} is an Excel workbook, not a report: check it under its .xlsx name, or give it with --book"),
    "not_report": ("{path} 不是可读的报告（{suffix}）：请提供 .docx、.pdf 或 .txt 格式的自评报告",
                   "{path} is not a readable report ({suffix}): provide the report as .docx, .pdf or .txt"),
    "odt_file": ("{path} 是 OpenDocument 文档（.odt）：请在 WPS/LibreOffice 中“另存为” .docx 后再核查",
                 "{path} is an OpenDocument text (.odt): save it as .docx in WPS/LibreOffice, then check it again"),
    "truncated_report": ("{path} 不是完整的文档：文件被截断（可能是下载、复制或保存附件时中断），请重新获取原文件",
                         "{path} is truncated (an interrupted download or copy?); get the file again"),
    "report_damaged": ("{path} 内部结构已损坏，无法作为文档打开：请在 Word/WPS 中打开并另存为",
                       "{path} is damaged and cannot be opened as a document: open it in Word/WPS and save it again"),
    "report_encoding": ("{path} 的文字编码无法识别：请另存为 UTF-8 或 GBK 编码的文本，或提供 .docx",
                        "{path} is in a text encoding evaltool cannot recognise: save it as UTF-8 or GBK text, or provide the .docx"),
    "pdf_no_text": ("{path} 是扫描件（PDF 中没有文字层），无法读出数字：请提供 Word 文档或可复制文字的 PDF",
                    "{path} is a scan (the PDF has no text layer), so its figures cannot be read: provide the Word document or a PDF with selectable text"),
    "pdf_too_long": ("{path} 有 {pages} 页，超过 {cap} 页上限，不像是自评报告",
                     "{path} has {pages} pages, over the {cap}-page cap for a self-evaluation report"),
    "pdf_unsupported": ("本工具安装时未带 PDF 支持（pdfplumber），无法读取 {path}：请安装 pdfplumber 或提供 .docx",
                        "this installation has no PDF support (pdfplumber) to read {path}: install pdfplumber or provide the .docx"),
    "lock_file": ("{path} 是 Excel/WPS 打开工作簿时生成的临时锁文件（~$ 开头），不是工作簿：请核查工作簿本身",
                  "{path} is the lock file Excel/WPS makes while a workbook is open (~$…), not a workbook: "
                  "check the workbook itself"),
    "xml_unsafe": ("{path} 的 {part} 含有 XML 实体/DTD 定义（Excel/WPS 保存的文件不会有，可能是恶意构造的“XML 炸弹”），"
                   "为安全起见拒绝打开",
                   "{path}: {part} declares XML entities or a DTD (no Excel/WPS file does; possibly an XML bomb); "
                   "refused for safety"),
    "too_many_parts": ("{path} 含有 {count} 个内部部件，远超正常工作簿，为安全起见拒绝打开",
                       "{path} holds {count} internal parts, far more than any workbook; refused for safety"),
    "copy_unmarkable": ("{path} 的内部结构不规范，核查结果无法标注在它的副本上（原文件未改动）：请在 Excel/WPS 中打开并"
                        "另存为 .xlsx 后再核查",
                        "{path} is irregular inside: the checked copy cannot be marked up on it (the input is "
                        "unchanged): open it in Excel/WPS, save it as .xlsx and check it again"),
    "workbook_damaged": ("{path} 内部结构已损坏，无法作为工作簿打开（{reason}）：请在 Excel/WPS 中打开并另存为"
                         " .xlsx 后再核查",
                         "{path} is damaged inside and cannot be opened as a workbook ({reason}): open it in "
                         "Excel/WPS, save it as .xlsx and check it again"),
    "read_failed": ("读取 {path} 时程序出错，未能核查；请把文件发给维护人员",
                    "Reading {path} failed; it was not checked. Please send the file to the maintainers"),
    "not_worksheet": ("{path} 的“{sheet}”不是普通工作表（可能被换成了图表工作表）：请恢复模板中的该工作表",
                      "{path}: “{sheet}” is not an ordinary worksheet (replaced by a chart sheet?): restore the "
                      "template's sheet"),
    "sheets_missing_extra": ("{path} 缺少模板工作表：{missing}；另有模板中没有的工作表：{extra}（是否被改名？"
                             "请改回模板中的名称）",
                             "{path} lacks template sheets: {missing}; it has sheets the template does not: "
                             "{extra} (renamed? restore the template's names)"),
    # -- the checked copy cannot be written (exit 2, the input is unchanged) ----------------
    "output_dir_missing": ("无法写出 {path}：{folder} 不存在或不是文件夹（原文件未改动）",
                           "Cannot write {path}: {folder} does not exist or is not a folder (the input is unchanged)"),
    "output_dir_readonly": ("无法写出 {path}：没有在 {folder} 中写文件的权限（原文件未改动）",
                            "Cannot write {path}: no permission to write in {folder} (the input is unchanged)"),
    "output_no_space": ("无法写出 {path}：磁盘空间不足（原文件未改动）",
                        "Cannot write {path}: the disk is full (the input is unchanged)"),
    "output_is_dir": ("无法写出 {path}：已有同名的文件夹（原文件未改动）",
                      "Cannot write {path}: a folder of that name exists (the input is unchanged)"),
    # -- phrases inside messages: how a figure was obtained, or why it could not be -----------
    "fig.name": ("{name}", "{name}"),
    "fig.named": ("{name} {value}", "{name} {value}"),
    "fig.formula": ("{ratio} = {formula} = {value}", "{ratio} = {formula} = {value}"),
    "fig.from_stated": ("{why}，按{cell} {value}", "{why}; taken as {cell} {value}"),
    "fig.why": ("{why}", "{why}"),
    "fig.fund_sum": ("各项目拨付数之和 ÷ 预算数之和 = {paid} ÷ {budget} = {value}",
                     "projects' payments ÷ their budgets = {paid} ÷ {budget} = {value}"),
    "fig.average": ("{kind}指标 {n} 行平均：{parts}", "mean of {n} {kind} indicator rows: {parts}"),
    "fig.average_part": ("{kind}指标 {n} 行中 {known} 行可计算：{parts}",
                         "{known} of {n} {kind} indicator rows computable: {parts}"),
    "why.blank": ("{cells}未填写", "{cells} blank"),
    "why.unreadable": ("{cells}无法读取", "{cells} unreadable"),
    "why.not_numeric": ("{cell}“{value}”不是数值", "{cell} \"{value}\" is not a number"),
    "why.zero": ("{cell}为 0", "{cell} is 0"),
    "why.direction": ("{cell}为“{value}”，不是可计算的指标", "{cell} is \"{value}\", not a computable indicator"),
    "why.no_key_work": ("绩效目标表没有三级指标含“重点工作”的行",
                        "the performance goals have no third-level indicator naming 重点工作 (key tasks)"),
    "why.not_percent": ("{cell}“{value}”不是百分数", "{cell} \"{value}\" is not a percentage"),
    "why.no_goals": ("绩效目标表没有可计算的{kind}指标", "the performance goals have no computable {kind} indicator"),
    "part.value": ("{ratio} {value}", "{ratio} {value}"),
    "part.capped": ("{ratio} {value}（计 100%）", "{ratio} {value} (counted as 100%)"),
    "part.stated": ("{ratio}按填报 {value}", "{ratio} as stated, {value}"),
    "part.missing": ("{ratio}无法计算：{why}", "{ratio} not computable: {why}"),
    "part.satisfaction": ("{cell} {value}", "{cell} {value}"),
    "record_row": ("第{row}行", "row {row}"),
    "record_named_row": ("{name}（第{row}行）", "{name} (row {row})"),
    # -- scoring rule sets that cannot be used (exit 2; scoring/ruleset.py) ------------------
    # {source} is the file, {where} the indicator (ruleset.indicator_named / _nth); lists are
    # joined in the language's own punctuation.
    "ruleset.not_found": ("找不到评分规则 {name}：既不是内置规则（可用：{known}），也不是存在的 .toml 文件",
                          "rule set {name} not found: neither a packaged rule set ({known}) "
                          "nor an existing .toml file"),
    "ruleset.unreadable": ("无法读取评分规则文件 {path}：{reason}", "cannot read rule set file {path}: {reason}"),
    "ruleset.not_utf8": ("评分规则文件 {source} 不是 UTF-8 编码，请另存为 UTF-8",
                         "rule set file {source} is not UTF-8 encoded"),
    "ruleset.toml_syntax": ("评分规则文件 {source} 有 TOML 语法错误（检查引号、等号和方括号是否成对）",
                            "rule set file {source}: TOML syntax error (check that quotes, = and brackets pair up)"),
    "ruleset.toml_syntax_at": ("评分规则文件 {source} 第 {line} 行有 TOML 语法错误（检查该行的引号、等号和方括号是否成对）",
                               "rule set file {source}, line {line}: TOML syntax error (check that the line's quotes, "
                               "= and brackets pair up)"),
    "ruleset.unknown_keys": ("评分规则文件 {source}：无法识别的设置项 {keys}",
                             "rule set file {source}: unknown keys {keys}"),
    "ruleset.not_text": ("评分规则文件 {source}：{setting} 应为文字", "rule set file {source}: {setting} must be a string"),
    "ruleset.no_indicators": ("评分规则文件 {source}：没有任何指标（需要若干 [[indicator]] 段）",
                              "rule set file {source}: no indicators ([[indicator]] tables)"),
    "ruleset.duplicate": ("评分规则文件 {source}：三级指标「{name}」重复",
                          "rule set file {source}: duplicate level3 indicator '{name}'"),
    "ruleset.weights_total": ("评分规则文件 {source}：各指标分值合计为 {total}，应为 100",
                              "rule set file {source}: weights add up to {total}, not 100"),
    "ruleset.score_places": ("评分规则文件 {source}：score_places（得分核对的小数位）应为 0、1 或 2，现为 {value}",
                             "rule set file {source}: score_places (decimals scores are compared at) must be 0, 1 "
                             "or 2, not {value}"),
    "ruleset.prior_change": ("评分规则文件 {source}：prior_change（与上年比变动须说明的百分数）应为大于 0 的数，现为 {value}",
                             "rule set file {source}: prior_change (the year-on-year change in percent that needs an "
                             "explanation) must be a number above 0, not {value}"),
    "ruleset.not_bool": ("评分规则文件 {source}：{setting} 应为 true 或 false",
                         "rule set file {source}: {setting} must be true or false"),
    "ruleset.checks_not_table": ("评分规则文件 {source}：[checks] 应写作表，如 off = [\"BAS02\"]、"
                                 "severity = {{PUB01 = \"error\"}}",
                                 "rule set file {source}: [checks] must be a table, e.g. off = [\"BAS02\"], "
                                 "severity = {{PUB01 = \"error\"}}"),
    "ruleset.checks_off": ("评分规则文件 {source}：checks.off 应为规则编码的列表，如 [\"BAS02\"]，现为 {value}",
                           "rule set file {source}: checks.off must be a list of rule codes such as [\"BAS02\"], "
                           "not {value}"),
    "ruleset.checks_severity": ("评分规则文件 {source}：checks.severity 中 {code} = {value} 无效：应为规则编码 = {known}",
                                "rule set file {source}: checks.severity {code} = {value} is not valid: a rule code "
                                "= one of {known}"),
    "ruleset.unknown_check": ("评分规则 {source}：没有编码为 {code} 的审核规则（evaltool rules 列出全部）",
                              "rule set {source}: there is no check {code} (see `evaltool rules`)"),
    "ruleset.not_a_table": ("评分规则文件 {source}：第 {n} 个指标不是表（应写作 [[indicator]]）",
                            "rule set file {source}: indicator #{n} is not a table"),
    "ruleset.indicator_named": ("指标「{name}」", "indicator '{name}'"),
    "ruleset.indicator_nth": ("第 {n} 个指标", "indicator #{n}"),
    "ruleset.indicator_unknown_keys": ("评分规则文件 {source}：{where}：无法识别的设置项 {keys}",
                                       "rule set file {source}: {where}: unknown keys {keys}"),
    "ruleset.level_missing": ("评分规则文件 {source}：{where}：缺少 {setting}（指标名称）",
                              "rule set file {source}: {where}: missing or empty {setting}"),
    "ruleset.not_a_number": ("评分规则文件 {source}：{where}：缺少 {setting}（{meaning}）或不是数字",
                             "rule set file {source}: {where}: {setting} ({meaning}) missing or not a number"),
    "ruleset.weight_not_positive": ("评分规则文件 {source}：{where}：分值 weight 应为正数，现为 {weight}",
                                    "rule set file {source}: {where}: weight {weight} is not positive"),
    "ruleset.unknown_method": ("评分规则文件 {source}：{where}：评分方法 {method} 未知，可用：{known}",
                               "rule set file {source}: {where}: unknown method {method}; known: {known}"),
    "ruleset.setting_not_used": ("评分规则文件 {source}：{where}：{method}不使用 {setting}",
                                 "rule set file {source}: {where}: {setting} does not apply to {method}"),
    "ruleset.qualitative_figure": ("评分规则文件 {source}：{where}：定性指标不应指定 figure（工具不计算定性指标）",
                                   "rule set file {source}: {where}: qualitative: takes no figure"),
    "ruleset.figure": ("{figure}（{name}）", "{figure} ({name})"),
    "ruleset.figure_missing": ("评分规则文件 {source}：{where}：{method}需要指定计算依据，缺少 figure；可用：{known}",
                               "rule set file {source}: {where}: {method} needs a figure; known: {known}"),
    "ruleset.figure_unknown": ("评分规则文件 {source}：{where}：{method}需要指定计算依据，figure {figure} 未知；"
                               "可用：{known}",
                               "rule set file {source}: {where}: {method} needs a known figure, got {figure}; "
                               "known: {known}"),
    "ruleset.target_not_positive": ("评分规则文件 {source}：{where}：比率法的目标值 target 应为正数",
                                    "rule set file {source}: {where}: ratio target must be positive"),
    "ruleset.ceiling_negative": ("评分规则文件 {source}：{where}：上限法的 limit 与 per_point 不能为负",
                                 "rule set file {source}: {where}: limit and per_point must not be negative"),
    "ruleset.bands_missing": ("评分规则文件 {source}：{where}：分档法需要 bands，如 [[0, 1.0], [5, 0.8]]",
                              "rule set file {source}: {where}: needs bands, e.g. [[0, 1.0], [5, 0.8]]"),
    "ruleset.band_shape": ("评分规则文件 {source}：{where}：档位 {band} 应写作 [上限百分点, 得分比例]",
                           "rule set file {source}: {where}: band {band}: not [upto, fraction]"),
    "ruleset.band_fraction": ("评分规则文件 {source}：{where}：档位得分比例 {fraction} 应在 0 到 1 之间",
                              "rule set file {source}: {where}: band fraction {fraction} must be between 0 and 1"),
    "ruleset.explanations_not_table": ("评分规则文件 {source}：[explanations] 应为一个表",
                                       "rule set file {source}: [explanations] must be a table"),
    "ruleset.explanations_placeholders": ("评分规则文件 {source}：explanations.placeholders 应为文字列表，如 [\"无\", \"正常\"]，"
                                          "而不是 {value}",
                                          "rule set file {source}: explanations.placeholders must be a list of "
                                          "words, not {value}"),
    "ruleset.explanations_min_length": ("评分规则文件 {source}：explanations.min_length 应为 1 到 200 之间的整数，而不是 {value}",
                                        "rule set file {source}: explanations.min_length must be a whole number "
                                        "from 1 to 200, not {value}"),
    "ruleset.band_order": ("评分规则文件 {source}：{where}：档位上限须逐档递增且不重叠：{upto} 不大于前一档 {previous}",
                           "rule set file {source}: {where}: band limits must strictly increase: "
                           "{upto} after {previous}"),
    # -- an indicator's scoring rule in words: the template's 评分标准 column and `evaltool rules`
    # (text/rulesets.py).  {name} is the figure, {steps} the criterion.band steps of 分档法.
    "criterion.比率法": ("{name} ÷ 目标 {target}% × 分值，最高得满分",
                      "{name} ÷ target {target}% × weight, at most full marks"),
    "criterion.上限法": ("{name} ≤{limit}% 得满分，每超 1 个百分点扣 {per_point} 分，扣完为止",
                      "{name} ≤{limit}%: full marks; minus {per_point} per percentage point above, down to 0"),
    "criterion.分档法": ("{name} {steps}", "{name} {steps}"),
    "criterion.汇总": ("按绩效目标中{name}（封顶 100%）× 分值", "{name} in 绩效目标 (capped at 100%) × weight"),
    "criterion.定性": ("按评分标准自评，扣分须写明原因",
                     "self-assessed against the scoring standard; deductions must be explained"),
    "criterion.band": ("{bound} {share}", "{bound}: {share}"),
    "criterion.band_full": ("得满分", "full marks"),
    "criterion.band_part": ("得 {percent}%", "{percent}% of weight"),
    "criterion.band_none": ("不得分", "0"),
    "criterion.band_above": ("以上不得分", "above: 0"),
}


# Words used by the console and the output sheets.
WORDS: dict[str, tuple[str, str]] = {
    "code": ("编码", "Code"),
    "severity": ("性质", "Severity"),
    "sheet": ("工作表", "Sheet"),
    "cell": ("单元格", "Cell"),
    "stated": ("填报值", "Stated"),
    "recomputed": ("重算值", "Recomputed"),
    "difference": ("差额", "Difference"),
    "message": ("说明", "Message"),
    "explain": ("填报单位说明", "Explanation"),
    "unit": ("单位", "Unit"),
    "rule": ("规则", "Rule"),
    "item": ("项目", "Item"),
    "match": ("是否一致", "Match"),
    "yes": ("一致", "yes"),
    "no": ("不一致", "no"),
    "errors": ("强制性错误", "Errors"),
    "warnings": ("提示", "Warnings"),
    "infos": ("信息", "Notes"),
    "verdict_unreadable": ("无法核查", "cannot be checked"),
    # The verdict of a file or a run with what it rests on (console, 核查汇总).
    "verdict_line": ("{verdict}：强制性错误 {errors} 个，未说明的提示 {unexplained} 个，已说明的提示 {explained} 个",
                     "{verdict}: {errors} error(s), {unexplained} unexplained warning(s), {explained} explained"),
    # Under a warning's line on the console: the officer's 单位说明 and whether it counts.
    "console_explained": ("已说明：{text}", "explained: {text}"),
    "console_not_explained": ("单位说明“{text}”不算说明（太短，或是“无”“已核实”之类）",
                              "the explanation “{text}” does not count (too short, or “none”, “verified” and the like)"),
    "console_reopened": ("值已变化，请重新说明（原说明：{text}）", "figures changed: explain again (it said: {text})"),
    "verdict_next_fail": ("强制性错误须修正后再核查", "fix the errors, then check again"),
    "verdict_next_pass_unexplained": ("在核查结果的“单位说明”栏写明每个提示的原因（“无”“正常”“已核实”之类不算），"
                                      "再核查即可报送",
                                      "explain each warning in the Explanation column of the results sheet (“none”, "
                                      "“normal”, “verified” and the like do not count), then check again to make it "
                                      "ready to send"),
    "verdict_next_pass_unexplained_report": ("自评报告的提示不能在核查副本中说明：逐条核对，需要改的在报告中改正后再核查",
                                             "a report's warnings cannot be explained in its checked copy: look at "
                                             "each, correct the report where needed and check it again"),
    "verdict_next_ready": ("可以报送这份核查副本", "this checked copy can be sent"),
    "held_back": ("{n} 项占比、比率未核对：先修正{basis}（与分项不符）", "{n} share(s) or rate(s) not checked: fix {basis} "
                  "first (it does not match its parts)"),
    "verdict_word_ready": ("可报送", "READY TO SEND"),
    "verdict_word_pass_unexplained": ("通过（有未说明的提示）", "PASS (unexplained warnings)"),
    "verdict_word_fail": ("未通过", "FAIL"),
    "verdict_word_unreadable": ("无法核查", "cannot be checked"),
    "state_error": ("强制性错误", "error"),
    "state_unexplained": ("未说明的提示", "unexplained warning"),
    "state_explained": ("已说明的提示", "explained warning"),
    "state_info": ("信息", "note"),
    "state_reopened": ("值已变化，请重新说明", "figures changed: explain again"),
    "written": ("核查结果已写入 {path}", "Checked copy written to {path}"),
    "console_corrected": ("已更正 {where}：{old} → {new}（副本中标绿）", "Corrected {where}: {old} → {new} (green in the copy)"),
    "summary_counts": ("强制性错误 {errors} 个，提示 {warnings} 个，信息 {infos} 个",
                       "errors: {errors}, warnings: {warnings}, notes: {infos}"),
    "fixed": ("已按重算值更正（原值 {old}）", "Corrected to the recomputed value (was {old})"),
    "fix_formula_kept": ("公式 ={formula} 未改写：重算值为 {value}，请改正公式或它引用的单元格",
                         "The formula ={formula} was not overwritten: the recomputed value is {value}; correct "
                         "the formula or the cells it reads"),
    "fix_range_kept": ("此格在数组公式或模拟运算表的区域内，未改写：重算值为 {value}，请改正公式或它引用的单元格",
                       "This cell is part of an array formula or data table and was not overwritten: the "
                       "recomputed value is {value}; correct the formula or the cells it reads"),
    "corrected": ("已更正", "Corrected"),
    "results_sheet": ("核查结果", "核查结果"),
    "summary_sheet": ("核查汇总", "核查汇总"),
    "file": ("文件", "File"),
    "dept": ("部门", "Department"),
    "year": ("年度", "Year"),
    "checked_at": ("核查时间", "Checked at"),
    "tool": ("核查工具", "Tool"),
    "ratios": ("主要比率：填报与重算", "Key ratios: stated and recomputed"),
    "counts": ("核查结果统计", "Findings"),
    "not_computable": ("无法计算", "not computable"),
    "decrease": ("减少 {v}", "decrease {v}"),
    "score_line": ("自评得分 {self_total}（{self_grade}），重算得分 {recomputed_total}（{recomputed_grade}）",
                   "Self-assessed score {self_total} ({self_grade}), recomputed {recomputed_total} ({recomputed_grade})"),
    "increase": ("增加 {v}", "increase {v}"),
    # -- batch checking and the summary workbook ---------------------------------------------
    "checking": ("核查中", "Checking"),
    "status_skipped": ("跳过", "SKIPPED"),
    "sum_sheet_summary": ("汇总", "Summary"),
    "sum_sheet_errors": ("强制性错误", "Errors"),
    "sum_sheet_unreadable": ("未核查的文件", "Files not checked"),
    "sum_sheet_charts": ("图表", "Charts"),
    "sum_rank": ("排名", "Rank"),
    "sum_dept": ("部门名称", "Department"),
    "sum_year": ("评价年度", "Year"),
    "sum_file": ("文件", "File"),
    "sum_income_total": ("本年收入合计（万元）", "Revenue total (10k yuan)"),
    "sum_expense_total": ("本年支出合计（万元）", "Expenditure total (10k yuan)"),
    "sum_fiscal_share": ("财政拨款占比", "Fiscal appropriation share"),
    "sum_exec_rate": ("预算执行率", "Budget execution rate"),
    "sum_carry_rate": ("结转结余率", "Carry-over rate"),
    "sum_office_rate": ("公用经费控制率", "Office expense control rate"),
    "sum_sangong_budget": ("“三公”经费预算数（万元）", "Three public expenses budget (10k yuan)"),
    "sum_sangong_actual": ("“三公”经费实际支出数（万元）", "Three public expenses actual (10k yuan)"),
    "sum_sangong_rate": ("“三公”经费控制率", "Three public expenses control rate"),
    "sum_self_score": ("自评得分", "Self-assessed score"),
    "sum_recomputed_score": ("重算得分", "Recomputed score"),
    "sum_self_grade": ("自评等级", "Self-assessed grade"),
    "sum_recomputed_grade": ("重算等级", "Recomputed grade"),
    "sum_errors": ("强制性错误数", "Errors"),
    "sum_warnings": ("提示数", "Warnings"),
    "sum_unexplained": ("其中未说明", "Of which unexplained"),
    "sum_review_accepted": ("审核认可", "Reviewed: accepted"),
    "sum_review_returned": ("审核退回", "Reviewed: returned"),
    "sum_review_pending": ("待审", "Review pending"),
    "sum_checked_copy": ("核查副本", "Checked copy"),
    "sum_notes": ("提示", "Notes"),
    "sum_status": ("状态", "Status"),
    "sum_county_total": ("全县合计", "County total"),
    "sum_reason": ("原因", "Reason"),
    "sum_grade": ("等级", "Grade"),
    "sum_chart_grades": ("得分等级分布", "Score distribution by grade"),
    "sum_chart_sangong": ("各部门“三公”经费：实际支出与预算", "Three public expenses by department: actual and budget"),
    "sum_title": ("{county}{year} 年度部门整体支出绩效自评核查汇总表",
                  "{county} {year}: check summary of the departments' performance self-evaluations"),
    "sum_title_no_year": ("{county}部门整体支出绩效自评核查汇总表",
                          "{county} check summary of the departments' performance self-evaluations"),
    "sum_made_on": ("制表日期：{date}", "Made on {date}"),
    "sum_this_file": ("该文件", "the file"),
    "sum_verdict": ("核查结论", "Verdict"),
    "sum_over_claim": ("自评 − 重算", "Self − recomputed"),
    "sum_explained": ("其中已说明", "Of which explained"),
    "sum_prior_income_total": ("上年收入合计（万元）", "Revenue total last year (10k yuan)"),
    "sum_income_change": ("收入变动", "Revenue change"),
    "sum_prior_expense_total": ("上年支出合计（万元）", "Expenditure total last year (10k yuan)"),
    "sum_expense_change": ("支出变动", "Expenditure change"),
    "sum_prior_score": ("上年重算得分", "Recomputed score last year"),
    "sum_score_change": ("得分变动", "Score change"),
    "sum_none": ("没有可核查的自评表", "No workbook could be checked"),
}


WORDS.update({
    "severity.error": ("强制性", "error"),
    "severity.warning": ("提示性", "warning"),
    "severity.info": ("信息", "info"),
    "unit.wan_yuan": ("万元", "10k yuan"),
    "unit.yuan": ("元", "yuan"),
    "unit.percent": ("%", "%"),
    "unit.percentage_points": ("个百分点", "percentage points"),
    "unit.score": ("分", "points"),
    "unit.count": ("个", ""),
    "unit.days": ("天", "days"),
    "unit.grade": ("", ""),
    "unit_column.percentage_points": ("百分点", "% points"),  # 核查结果's narrow 单位 column: no measure word
    "where.paragraph": ("第 {paragraph} 段", "paragraph {paragraph}"),
    "where.line": ("第 {line} 行", "line {line}"),
    "where.page": ("第 {page} 页", "page {page}"),
    "report_verified": ("已核对 {n} 处数字说法，未核对的数字 {unchecked} 个（-v 列出）",
                        "{n} claims verified; {unchecked} figures not checked (-v lists them)"),
    "report_book": ("对照自评表 {path}", "against the workbook {path}"),
    "grade.优": ("优", "excellent"),
    "grade.良": ("良", "good"),
    "grade.中": ("中", "fair"),
    "grade.差": ("差", "poor"),
    "term.budget": ("预算", "budget"),
    "term.final_accounts": ("决算", "final accounts"),
    "term.money_unit.万元": ("万元", "10k yuan"),
    "term.money_unit.元": ("元", "yuan"),
    "term.goal_kind.output": ("产出", "output"),
    "term.goal_kind.benefit": ("效益", "benefit"),
    "term.goal_kind.satisfaction": ("满意度", "satisfaction"),
    # Derived figures, named after the row or record they are about.
    "ratio.income_share": ("{item}占比", "{item} share"),
    "ratio.expense_share": ("{item}占比", "{item} share"),
    "ratio.exec_rate": ("{item}执行率", "{item} execution rate"),
    "ratio.carry_rate": ("{item}结转结余率", "{item} carry-over rate"),
    "ratio.office_rate": ("公用经费控制率", "Office expense control rate"),
    "ratio.office_diff": ("公用经费比预算增减", "Office expenses against budget"),
    "ratio.sangong_rate": ("{item}控制率", "{item} control rate"),
    "ratio.sangong_change": ("{item}变动率", "{item} change on last year"),
    "ratio.fund_rate": ("{item}拨付率", "{item} payment rate"),
    "ratio.asset_rate": ("固定资产利用率", "Fixed asset utilisation"),
    "ratio.goal_rate": ("{item}完成率", "{item} completion rate"),
    "group.income_share": ("收入占比", "revenue shares"),
    "group.expense_share": ("支出占比", "expenditure shares"),
    "group.exec_rate": ("预算执行率", "execution rates"),
    "group.carry_rate": ("结转结余率", "carry-over rates"),
    "group.office_rate": ("公用经费控制率", "office expense control rate"),
    "group.office_diff": ("公用经费比预算增减", "office expenses against budget"),
    "group.sangong_rate": ("“三公”经费控制率", "three public expenses control rates"),
    "group.sangong_change": ("“三公”经费变动率", "three public expenses changes"),
    "group.fund_rate": ("专项资金拨付率", "special fund payment rates"),
    "group.asset_rate": ("固定资产利用率", "fixed asset utilisation"),
    "group.goal_rate": ("绩效指标完成率", "indicator completion rates"),
    # 核查汇总
    "summary_title": ("部门整体支出绩效自评核查汇总", "Self-evaluation check summary"),
    "verdict": ("结论", "Verdict"),
    "next_step": ("下一步", "Next"),
    "held_back_label": ("未核对", "Not checked"),
    "recomputed_number": ("重算值（数值）", "Recomputed (number)"),
    "chart_shares": ("收入、支出结构（重算）", "Revenue and expenditure shares (recomputed)"),
    "chart_rates": ("执行率、控制率（重算）", "Execution and control rates (recomputed)"),
    "chart_data": ("图表数据", "Chart data"),
    "scores": ("自评得分与重算得分", "Self-assessed and recomputed scores"),
    "self_score": ("自评", "Self-assessed"),
    "recomputed_score": ("重算", "Recomputed"),
    "score_total": ("总分", "Total"),
    "score_grade": ("等级", "Grade"),
    "more_rows": ("……另有 {n} 项{what}，差错见核查结果", "... {n} more {what}; mismatches are in 核查结果"),
    "page_footer": ("第 {page} 页，共 {pages} 页", "Page {page} of {pages}"),
    "verdict_unreadable_n": ("无法核查：{n}", "cannot be checked: {n}"),
    # -- scoring rule sets (scoring/ruleset.py): what a file's number settings mean -------------
    "term.setting.weight": ("分值", "points"),
    "term.setting.target": ("目标值，百分点", "target, percentage points"),
    "term.setting.limit": ("上限，百分点", "ceiling, percentage points"),
    "term.setting.per_point": ("每超 1 个百分点扣分", "points off per percentage point over the ceiling"),
    # The figures a rule set scores on (``scoring.ruleset.FIGURES``).
    "term.figure.carry_rate": ("结转结余率", "carry-over rate"),
    "term.figure.fund_paid_rate": ("专项资金拨付率", "special fund disbursement rate"),
    "term.figure.asset_utilization": ("固定资产利用率", "fixed-asset utilization rate"),
    "term.figure.office_control_rate": ("公用经费控制率", "office expense control rate"),
    "term.figure.sangong_control_rate": ("“三公”经费控制率", "“three public expenses” control rate"),
    "term.figure.key_work_rate": ("重点工作完成率", "key task completion rate"),
    "term.figure.satisfaction": ("公众或服务对象满意度", "public or client satisfaction"),
    "term.figure.goals_output": ("产出指标平均完成率", "mean completion rate of output indicators"),
    "term.figure.goals_benefit": ("效益指标平均完成率", "mean completion rate of benefit indicators"),
    # The scoring methods a rule set may name (``scoring.ruleset.METHODS``), as `evaltool rules` lists them.
    "term.method.比率法": ("比率法", "ratio"),
    "term.method.上限法": ("上限法", "ceiling"),
    "term.method.分档法": ("分档法", "bands"),
    "term.method.定性": ("定性", "qualitative"),
    "term.method.汇总": ("汇总", "aggregate"),
})


def tr(key: str, lang: str = "zh", /, **params: Any) -> str:
    """The text ``key`` in ``lang``, filled with ``params`` (extra ones are ignored)."""
    pair = MESSAGES.get(key) or WORDS[key]
    return (pair[1] if lang == "en" else pair[0]).format_map(params)
