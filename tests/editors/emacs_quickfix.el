;;; emacs_quickfix.el --- driven by tests/editors/test_emacs.py  -*- lexical-binding: t -*-
;; `emacs --batch -l CONFIG -l THIS`: CONFIG is a snippet from the README's Emacs section.
;; Opens $TARGET_FILE as a user would (the mode hooks of the snippet start the servers), waits
;; for nilmap's diagnostic, records where it starts, applies the preferred quick fix (the
;; default of the client's menu, as RET would take it), waits for the diagnostic to go,
;; saves, and writes what it saw as JSON lines to $RESULT_FILE. Always exits.
(require 'json)
(require 'cl-lib)

(defvar nilmap-test-out nil)
(defun nilmap-test-record (kind value)
  (push (json-encode (list (cons 'kind kind) (cons 'value value))) nilmap-test-out))

(defun nilmap-test-idle ()
  "What Emacs does when the user pauses, which batch mode never does: run the idle timers
(Eglot sends its didChange and Flymake asks for diagnostics then)."
  (dolist (timer (copy-sequence timer-idle-list))
    (timer-event-handler timer)))

(defun nilmap-test-wait (predicate seconds)
  (let ((deadline (+ (float-time) seconds)))
    (while (and (< (float-time) deadline) (not (funcall predicate)))
      (accept-process-output nil 0.05)
      (nilmap-test-idle))
    (funcall predicate)))

(defun nilmap-test-client ()
  (cond ((bound-and-true-p lsp-mode) 'lsp-mode)
        ((and (fboundp 'eglot-current-server) (eglot-current-server)) 'eglot)))

(defun nilmap-test-diagnostics ()
  "nilmap's diagnostics in this buffer as (BEG END MESSAGE)."
  (pcase (nilmap-test-client)
    ('eglot
     (cl-loop for d in (flymake-diagnostics)
              when (string-match-p "nilmap" (flymake-diagnostic-text d))
              collect (list (flymake-diagnostic-beg d) (flymake-diagnostic-end d) (flymake-diagnostic-text d))))
    ('lsp-mode
     (cl-loop for d in (gethash (buffer-file-name) (lsp-diagnostics t))
              when (equal (lsp:diagnostic-source? d) "nilmap")
              collect (let ((range (lsp:diagnostic-range d)))
                        (list (lsp--position-to-point (lsp:range-start range))
                              (lsp--position-to-point (lsp:range-end range))
                              (lsp:diagnostic-message d)))))))

(defun nilmap-test-apply-fix (beg end)
  "The quick fix a user gets by accepting the default of the action menu."
  (cl-letf (((symbol-function 'completing-read)
             (lambda (_prompt collection &optional _pred _req _init _hist default &rest _)
               (or default (car (all-completions "" collection))))))
    (pcase (nilmap-test-client)
      ('eglot
       (let ((last-nonmenu-event 13))   ; a key, not a mouse click: the menu is completing-read
         (eglot-code-actions beg end "quickfix" t)))
      ('lsp-mode
       (goto-char beg)
       (let* ((actions (lsp-code-actions-at-point))
              (titles (mapcar #'lsp:code-action-title actions)))
         (nilmap-test-record "actions" titles)
         (lsp-execute-code-action (or (seq-find #'lsp:code-action-is-preferred? actions) (car actions))))))))

(defun nilmap-test-main ()
  (find-file (getenv "TARGET_FILE"))
  (nilmap-test-record "mode" (symbol-name major-mode))
  (run-hooks 'post-command-hook)          ; where eglot-ensure does its work
  (when (and (fboundp 'lsp-deferred) (memq 'lsp-deferred go-mode-hook) (not (bound-and-true-p lsp-mode)))
    (lsp))                                ; lsp-deferred waits for an idle moment batch never has
  (unless (nilmap-test-wait (lambda () (nilmap-test-diagnostics)) 60)
    (error "no nilmap diagnostic within 60 s"))
  (nilmap-test-record "client" (symbol-name (nilmap-test-client)))
  (nilmap-test-record "servers"
                      (pcase (nilmap-test-client)
                        ('eglot (list (plist-get (eglot--server-info (eglot-current-server)) :name)))
                        ('lsp-mode (mapcar (lambda (w) (symbol-name (lsp--client-server-id (lsp--workspace-client w))))
                                           (lsp-workspaces)))))
  (pcase-let ((`(,beg ,end ,message) (car (nilmap-test-diagnostics))))
    (goto-char beg)
    (nilmap-test-record "diagnostic"
                        (list (cons 'line (1- (line-number-at-pos beg)))
                              (cons 'column (- beg (line-beginning-position)))
                              (cons 'text (buffer-substring-no-properties beg end))
                              (cons 'message message)))
    (let ((before (buffer-modified-tick)))
      (nilmap-test-apply-fix beg end)
      (unless (nilmap-test-wait (lambda () (/= before (buffer-modified-tick))) 20)
        (error "the quick fix did not change the buffer"))))
  (nilmap-test-record "cleared" (if (nilmap-test-wait (lambda () (null (nilmap-test-diagnostics))) 30) t :json-false))
  (save-buffer)
  (nilmap-test-record "written" t))

(condition-case err
    (nilmap-test-main)
  (error (nilmap-test-record "error" (error-message-string err))))
(with-temp-file (getenv "RESULT_FILE")
  (insert (mapconcat #'identity (reverse nilmap-test-out) "\n") "\n"))
(kill-emacs 0)
