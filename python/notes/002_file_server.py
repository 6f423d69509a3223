# 笔记原文：002_3ed8f3c9aec243c0.txt 第 247-290 行，「文件下载服务器:」
# Source: notes 002_3ed8f3c9aec243c0.txt, lines 247-290, "文件下载服务器:"
# 改动：port ready indent fix
# Edits: port ready indent fix
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ("",6664)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ("",6664); here the address is 127.0.0.1 and the port is argument 1.
# ready：开始监听后打印一行（listening on …），测试和页面上的命令等到它再启动另一端。
# ready: once listening it prints a line (listening on ...); tests and the pages' commands wait for it to start the other side.
# indent：笔记 002 丢了缩进，这里按 Python 的语法补回，别的字一个没改。
# indent: notes 002 lost their indentation; it is rebuilt as Python needs, not another character changed.
# fix：笔记写 `server_socket.setsockopt(...)`，可是套接字叫 tcp_server，一启动就 NameError；这里用 tcp_server。
# fix: the notes call `server_socket.setsockopt(...)`, but the socket is named tcp_server: a NameError at start; here tcp_server.
# ---
import socket
import sys  # port
def get_add(file_name):
    # 读取文件,判断是否存在
    print(file_name)
    try: # 读取的文件不存在会报错,需要加入判断
        file = open(file_name,"rb")
        # 将打开的文件全部读取给data
        data = file.read()
        print(data)
    except Exception as err: # 若是报错了不需要,关闭文件,因为没有打开
        print("你下载的文件不存在")
    # 若是没有报错,执行else
    else:
        # 关闭打开的文件/
        file.close()
        # 关闭了,文件需要返回一个结果,进行二次运算
        return data
# 服务端程序在Pycham中不能让在二级目录中,不然会读取不到信息
def main():
    # 创建服务器套接字
    tcp_server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # 设置套接字选项 地址重用现象 套接字 选项 重用地址 1代表设置 0代表取消
    tcp_server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # fix
    # 绑定服务器端口
    tcp_server.bind(("127.0.0.1",int(sys.argv[1])))  # port
    # 变被动套接字 ,起到监听的功能
    tcp_server.listen(128)
    print("listening on", tcp_server.getsockname(), flush=True)  # ready
    # 需要多次进行接收每个客户信息,需要无限循环
    while True:
        # 取出每个客户的套接字,进行每个客户端服务
        clie_socket, adder_ip = tcp_server.accept()
        # 收到的每个客户端消息
        file_name = clie_socket.recv(1024)
        print(file_name)
        # 判断客户端传过来的文件是否存在 通过封装函数,用reuten返回结果给data,
        data = get_add(file_name)
        # 判断返回的data是否为空,若是不为空,代表读取到信息,进行读取发送给客户端
        if data:
            # 需要用每个客户的socket进项发送消息,不能使用接收的scoket
            clie_socket.send(data)
        # 关闭客户socket
        clie_socket.close()
if __name__ == '__main__':
    main()
