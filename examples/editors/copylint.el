;;; copylint.el --- Run copylint and jump to its findings  -*- lexical-binding: t; -*-

;;; Commentary:

;; Teaches `compile' (M-x compile, next-error) the `--format short' output of
;; copylint, and adds M-x copylint, which runs it in a compilation buffer
;; whose columns count characters, as copylint's do.
;;
;; Install: put this file on `load-path' and add to your init file
;;
;;   (require 'copylint)
;;
;; then M-x copylint (or M-x compile with "copylint --format short .") and
;; M-g n / M-g p to walk the findings: errors, warnings and infos are shown
;; with the usual compilation faces and counted apart in the mode line.

;;; Code:

(require 'compile)

(defconst copylint-error-regexp
  "^\\(.+?\\):\\([0-9]+\\):\\([0-9]+\\): \\(?:error\\|\\(warning\\)\\|\\(info\\)\\): \\(.*\\) \\[\\([^]]+\\)\\]$"
  "A line of `copylint --format short' output.
Groups: 1 file, 2 line, 3 column, 4 \"warning\", 5 \"info\" (neither:
an error), 6 message, 7 rule id.")

;; (NAME REGEXP FILE LINE COLUMN (WARNING-GROUP . INFO-GROUP))
(add-to-list 'compilation-error-regexp-alist-alist
             `(copylint ,copylint-error-regexp 1 2 3 (4 . 5)))
(add-to-list 'compilation-error-regexp-alist 'copylint)

(defgroup copylint nil
  "Check copy against a wording policy."
  :group 'tools)

(defcustom copylint-command "copylint --format short --fail-on never "
  "The command line M-x copylint offers; the paths to check follow it."
  :type 'string)

(define-compilation-mode copylint-compilation-mode "copylint"
  "Compilation mode for copylint output.
Columns are characters (copylint's unit), not screen columns, so a
tab or a double-width character before a finding does not shift it;
and `next-error' visits infos too, not only errors and warnings."
  (setq-local compilation-error-regexp-alist '(copylint))
  (setq-local compilation-error-screen-columns nil)
  (setq-local compilation-skip-threshold 0))

;;;###autoload
(defun copylint (command)
  "Run COMMAND, a copylint command line, and list its findings.
Runs in the project root when there is a project, else in
`default-directory'."
  (interactive
   (list (read-shell-command
          "Run copylint: "
          (concat copylint-command
                  (if buffer-file-name
                      (shell-quote-argument
                       (file-relative-name buffer-file-name
                                           (copylint--root)))
                    ".")))))
  (let ((default-directory (copylint--root)))
    (compilation-start command #'copylint-compilation-mode)))

(defun copylint--root ()
  "The current project's root, or `default-directory'."
  (let ((project (and (fboundp 'project-current) (project-current))))
    (if project
        (if (fboundp 'project-root)
            (project-root project)
          (car (project-roots project)))
      default-directory)))

(provide 'copylint)
;;; copylint.el ends here
